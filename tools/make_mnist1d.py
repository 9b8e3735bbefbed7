"""Regenerate ``data/mnist1d.npz``, the MNIST-1D cache that ``coursekit.data.load_mnist1d`` reads.

The data come from the ``mnist1d`` package's own generator,
``mnist1d.data.make_dataset(mnist1d.data.get_dataset_args())`` (5000 samples, seed 42, 80/20 split),
never from its download URL, so the course needs no network.

``make_dataset`` seeds NumPy's *global* random state (``mnist1d.utils.set_seed``). That is why it is
called only here, in a separate process, never inside ``coursekit``.

The archive is written byte for byte reproducibly: uncompressed (``ZIP_STORED``, so no zlib version
can change the bytes) with a fixed timestamp (``np.savez`` would stamp the current time). Run::

    .venv/bin/python tools/make_mnist1d.py            # writes data/mnist1d.npz, prints its SHA-256
    .venv/bin/python tools/make_mnist1d.py --check    # regenerates in memory, compares with the file
    .venv/bin/python tools/make_mnist1d.py --fingerprint   # rewrite data/mnist1d.fingerprint.json

Another CPU may round the generator's floating-point steps differently in the last bit and so write
other bytes; ``coursekit.data.load_mnist1d`` then accepts the file by its fingerprint (shapes, exact
labels, float statistics within a tolerance) instead of its SHA-256. ``--check`` reports both.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path

import numpy as np

DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "data" / "mnist1d.npz"
FINGERPRINT = DEFAULT_OUTPUT.with_name("mnist1d.fingerprint.json")
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold


def generate() -> dict[str, np.ndarray]:
    """Run the package's generator and return the arrays the cache stores (float64 / int64)."""
    from mnist1d.data import get_dataset_args, make_dataset

    d = make_dataset(get_dataset_args())  # seeds global NumPy with args.seed = 42
    return {
        "x_train": np.ascontiguousarray(d["x"], dtype=np.float64),
        "y_train": np.ascontiguousarray(d["y"], dtype=np.int64),
        "x_test": np.ascontiguousarray(d["x_test"], dtype=np.float64),
        "y_test": np.ascontiguousarray(d["y_test"], dtype=np.int64),
        "t": np.ascontiguousarray(d["t"], dtype=np.float64),
        "templates_x": np.ascontiguousarray(d["templates"]["x"], dtype=np.float64),
        "templates_t": np.ascontiguousarray(d["templates"]["t"], dtype=np.float64),
        "templates_y": np.ascontiguousarray(d["templates"]["y"], dtype=np.int64),
    }


def to_npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """Serialise ``arrays`` as an ``.npz`` archive whose bytes depend only on the arrays."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(member, arrays[name], allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_FIXED_DATE)
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.getvalue())
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write the .npz")
    parser.add_argument("--check", action="store_true", help="compare with the existing file, write nothing")
    parser.add_argument("--fingerprint", action="store_true", help=f"write {FINGERPRINT.name} from the data")
    args = parser.parse_args(argv)

    arrays = generate()
    payload = to_npz_bytes(arrays)
    digest = hashlib.sha256(payload).hexdigest()
    if args.fingerprint:
        from coursekit.data import mnist1d_fingerprint

        text = json.dumps(mnist1d_fingerprint(arrays), indent=1, sort_keys=True) + "\n"
        FINGERPRINT.write_text(text, encoding="utf-8")
        print(f"wrote {FINGERPRINT}")
        return 0
    if args.check:
        from coursekit.data import MNIST1D_FINGERPRINT, _fingerprint_differences

        on_disk = hashlib.sha256(args.output.read_bytes()).hexdigest()
        problems = _fingerprint_differences(arrays, json.loads(MNIST1D_FINGERPRINT.read_text(encoding="utf-8")))
        print(f"regenerated {digest}\non disk     {on_disk}\nfingerprint {'; '.join(problems) or 'matches'}")
        return 0 if digest == on_disk and not problems else 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(payload)
    print(f"{digest}  {args.output.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
