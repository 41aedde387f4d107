"""benchmarks/class_bench.py's own parts: the kernel websocket protocol and which controls a
simulated student moves (the benchmark itself runs with `make bench-class`)."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from jupyter_server.services.kernels.connection.base import (deserialize_msg_from_ws_v1,
                                                             serialize_msg_to_ws_v1)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import class_bench as cb  # noqa: E402


def test_messages_match_jupyter_servers_v1_protocol():
    msg = cb.new_msg("s1", "comm_msg", {"comm_id": "c1", "data": {
        "method": "update", "state": {"index": 2}, "buffer_paths": []}})
    channel, parts = deserialize_msg_from_ws_v1(cb.pack("shell", msg))
    assert channel == "shell"
    assert [json.loads(p) for p in parts] == [msg[k] for k in ("header", "parent_header",
                                                               "metadata", "content")]
    # what the server sends: an Image update with its PNG in a buffer
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    wire = serialize_msg_to_ws_v1([json.dumps(msg[k]).encode() for k in
                                   ("header", "parent_header", "metadata")]
                                  + [json.dumps({"comm_id": "img", "data": {
                                      "method": "update", "state": {},
                                      "buffer_paths": [["value"]]}}).encode(), png], "iopub")
    channel, got, buffers = cb.unpack(wire)
    assert channel == "iopub" and buffers == [png]
    assert cb.image_changed(got["content"]["data"])
    assert not cb.image_changed({"method": "update", "state": {"index": 1}, "buffer_paths": []})


def _models():
    return {
        "box": {"_model_name": "VBoxModel", "children": ["IPY_MODEL_controls", "IPY_MODEL_img"]},
        "controls": {"_model_name": "HBoxModel",
                     "children": ["IPY_MODEL_dd", "IPY_MODEL_sl", "IPY_MODEL_ms"]},
        "dd": {"_model_name": "DropdownModel", "_options_labels": ["a", "b", "c"], "index": 0},
        "sl": {"_model_name": "IntSliderModel", "min": 1999, "max": 2019, "step": 1,
               "value": 2008},
        "ms": {"_model_name": "SelectMultipleModel", "_options_labels": ["x", "y"],
               "index": [0]},
        "img": {"_model_name": "ImageModel"},
        # a quiz elsewhere in the notebook: no chart, so never touched
        "quiz": {"_model_name": "VBoxModel", "children": ["IPY_MODEL_radio"]},
        "radio": {"_model_name": "RadioButtonsModel", "_options_labels": ["1", "2"]},
    }


def test_students_move_only_the_controls_of_a_chart():
    controls = cb.explorer_controls(_models())
    assert sorted(c for c, _ in controls) == ["dd", "ms", "sl"]
    assert all(images == {"img"} for _, images in controls)


def test_every_change_is_a_new_allowed_value():
    models, rng = _models(), random.Random(1)
    for _ in range(50):
        dd = cb.new_state(models["dd"], rng)["index"]
        assert dd in (1, 2)
        sl = cb.new_state(models["sl"], rng)["value"]
        assert 1999 <= sl <= 2019 and sl != 2008
        ms = cb.new_state(models["ms"], rng)["index"]
        assert ms and set(ms) <= {0, 1}
    assert cb.new_state({"_model_name": "DropdownModel", "_options_labels": ["only"]}, rng) is None


def test_percentile():
    assert cb.percentile(list(range(1, 101)), 95) == 95
    assert cb.percentile([7], 50) == 7
