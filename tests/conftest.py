import shutil
from pathlib import Path

import pytest

from balkan_diplomacy import article, data

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Each test run keeps its own validation cache and kept pictures, never the user's. In
    this process explorers draw their first picture (tests/test_pictures.py turns the kept
    pictures on where it tests them); kernels keep them (notebook_runner.kernel_env), so a
    lesson run twice in a test run starts its explorers from kept pictures the second time."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.setenv("BALKAN_KEEP_PICTURES", "0")


@pytest.fixture
def no_png(monkeypatch):
    """For loops that check the artists only: explorers skip drawing and encoding the image
    (patching style.png no longer did: blitted changes encode through style.canvas_png)."""
    from balkan_diplomacy import widgets

    monkeypatch.setattr(widgets.Explorer, "draw_images", False)


@pytest.fixture
def data_copy(tmp_path):
    """A private copy of data/ that a test may break."""
    dst = tmp_path / "data"
    shutil.copytree(data.data_dir(), dst, ignore=shutil.ignore_patterns("README.md"))
    return dst


@pytest.fixture(scope="session")
def article_paragraphs():
    path = article.text_path()
    if not path.exists():
        pytest.skip(f"article text not found at {path} (set ARTICLE_TEXT to check quotes)")
    return article.paragraphs(path)


@pytest.fixture(scope="session")
def tables():
    return data.load_all()


def pytest_collection_modifyitems(config, items):
    """The browser tests run last: Playwright's sync API keeps an asyncio loop running in this
    thread until the session ends, and nbclient (the notebook tests) cannot start its own loop
    while one runs."""
    browser_dir = Path(__file__).resolve().parent / "browser"
    items.sort(key=lambda item: browser_dir in Path(str(item.fspath)).resolve().parents)
