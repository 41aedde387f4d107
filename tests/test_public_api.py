"""The package uses matplotlib, pandas and ipywidgets through their public interfaces only.

A name that starts with one underscore is private by Python's convention (and by these
libraries' own documentation): it may change or go in any release, without notice. This scans
every module of the package and fails on

- an attribute ``x._name`` read or set on anything but the package's own objects (``self``,
  ``cls``, a module or class of the package);
- an import of a private name or module (``from matplotlib.x import _y``, ``matplotlib._z``);
- a private method defined in a subclass of a library class (an override of its internals).

The package's own private helpers (``_typed``, ``self._background``) are fine.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "balkan_diplomacy"
LIBRARIES = ("matplotlib", "pandas", "ipywidgets", "numpy", "IPython", "traitlets", "frictionless")


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_uses(source: str, filename: str = "<string>") -> list[str]:
    """Each private use of another library in ``source``, as 'file:line: what'."""
    tree = ast.parse(source, filename)
    own_names = {"self", "cls"}  # the package's own modules and classes
    own_classes = {n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
    own_names |= own_classes
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # from . import style: the package's own modules
                own_names |= {a.asname or a.name for a in node.names}
                continue
            module = node.module or ""
            for alias in node.names:
                if _private(alias.name) or any(_private(p) for p in module.split(".")):
                    found.append(f"{filename}:{node.lineno}: from {module} import {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if any(_private(p) for p in alias.name.split(".")):
                    found.append(f"{filename}:{node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ClassDef):
            library_bases = [b for b in node.bases
                             if not (isinstance(b, ast.Name) and b.id in own_classes)]
            if library_bases:
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                            _private(item.name):
                        found.append(f"{filename}:{item.lineno}: {node.name} overrides "
                                     f"{item.name} of a library class")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in own_names:
                continue
            found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id in ("getattr", "setattr", "hasattr") and len(node.args) >= 2 and \
                isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str) \
                and _private(node.args[1].value) and not (
                    isinstance(node.args[0], ast.Name) and node.args[0].id in own_names):
            found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
    return found


def _overrides_a_library_name(finding: str) -> bool:
    """Whether a private method the scan found in a subclass of a library class is one the
    library's classes define (an override); the package's own new private methods are fine."""
    import importlib
    import inspect

    file, _, what = finding.split(":", 2)
    cls_name, _, rest = what.strip().partition(" overrides ")
    method = rest.split(" ")[0]
    module = importlib.import_module(f"balkan_diplomacy.{file.removesuffix('.py')}")
    cls = getattr(module, cls_name)
    return any(method in vars(base) for base in inspect.getmro(cls)[1:]
               if not base.__module__.startswith("balkan_diplomacy"))


def test_the_package_uses_no_private_name_of_a_library():
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        found += private_uses(path.read_text(encoding="utf-8"), path.name)
    found = [f for f in found if " overrides " not in f or _overrides_a_library_name(f)]
    assert not found, "private names of other libraries:\n" + "\n".join(found)


def test_an_override_of_a_library_private_method_is_told_apart():
    from balkan_diplomacy import widgets

    assert "_repr_mimebundle_" in dir(widgets.ipywidgets.VBox)  # a name VBox defines
    assert not _overrides_a_library_name("widgets.py:1: Explorer overrides _blit_png of a")


@pytest.mark.parametrize("source", [
    "fig._bd_mode = 'default'",
    "from matplotlib.font_manager import fontManager\nfontManager._find_fonts_by_props(p)",
    "from matplotlib import cbook\ncbook._get_data_path('fonts')",
    "import matplotlib._api",
    "from matplotlib.font_manager import _get_font",
    "from matplotlib.backends.backend_agg import RendererAgg\n"
    "class R(RendererAgg):\n    def _prepare_font(self, prop):\n        pass",
    "def f(text):\n    return text._bbox_patch",
    "getattr(canvas, '_renderer', None)",
    "renderer = canvas.get_renderer()\nrenderer._renderer.draw_text_image(i, 0, 0, 0, gc)",
])
def test_the_scan_finds_private_uses(source):
    assert private_uses(source)


@pytest.mark.parametrize("source", [
    "class A:\n    def __init__(self):\n        self._x = 1\n    def _helper(self):\n"
    "        return self._x",
    "from . import data\ndata._typed(p, f)",
    "def _own():\n    pass\n_own()",
    "class Explorer:\n    _cache = {}\nExplorer._cache.clear()",
    "obj.__class__.__name__",
])
def test_the_scan_allows_the_package_own_private_names(source):
    assert private_uses(source) == []


def test_explorer_private_state_does_not_shadow_ipywidgets_names():
    """Explorer is an ipywidgets.VBox: its own private attributes must not be names that
    ipywidgets or traitlets use inside the widget."""
    from balkan_diplomacy import widgets

    explorer = dict(widgets.explorer_builders())["polls.poll_explorer"]()
    box = widgets.ipywidgets.VBox()
    library = set(dir(widgets.ipywidgets.VBox)) | set(vars(box))
    mine = {name for name in vars(explorer) if _private(name)} - set(vars(box))
    assert mine, "the explorer keeps some private state of its own"
    assert not mine & library
