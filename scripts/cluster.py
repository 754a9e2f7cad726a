"""``./dev cluster``: madoguchi on several app servers, as a shared installation runs
it (docs/operations.md), on one machine and without root:

- an S3-compatible server (moto's server mode) on a free loopback port, with a
  private bucket for the attached files;
- two gunicorn app servers on free ports, the same ``DATABASE_URL`` (PostgreSQL),
  the same secret key and catalogue, each with its own (unused) local files folder;
- nginx in front as the load balancer (round robin), its configuration, pid file,
  logs and temporary files in the cluster's own folder;
- one task worker (``manage.py db_worker``) for the mail.

nginx also picks a server by the request header ``X-Madoguchi-Server: 1`` or ``2``
and names the one that answered in ``X-Madoguchi-Upstream``, so that a test can send
each step to the server it chooses (tests/test_cluster.py). A production nginx
needs neither (docs/operations.md has its sample).

    uv run python scripts/cluster.py [--servers 2] [--demo PASSWORD]   (as ./dev cluster does)
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUCKET = "madoguchi-files"
REGION = "ap-northeast-1"
# moto takes any key; these are the cluster's own, never a real account's.
ACCESS_KEY, SECRET_KEY = "madoguchi-cluster", "madoguchi-cluster-secret"
ROUTE_HEADER = "X-Madoguchi-Server"
UPSTREAM_HEADER = "X-Madoguchi-Upstream"
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_binary() -> str | None:
    found = shutil.which("nginx")
    return found or next((p for p in NGINX_CANDIDATES if os.access(p, os.X_OK)), None)


def nginx_conf(folder: Path, port: int, servers: list[str], *, route_header: bool) -> str:
    """The load balancer's configuration: round robin over ``servers``
    (``host:port``); with ``route_header``, a header may also choose one."""
    members = "".join(f"    server {s};\n" for s in servers)
    singles = "".join(
        f"  upstream madoguchi_{i} {{\n    server {s};\n  }}\n" for i, s in enumerate(servers, 1)
    )
    choices = "".join(f"    {i} madoguchi_{i};\n" for i in range(1, len(servers) + 1))
    header = ROUTE_HEADER.lower().replace("-", "_")
    route = (
        f"{singles}  map $http_{header} $madoguchi_upstream {{\n"
        f"    default madoguchi;\n{choices}  }}\n"
        if route_header
        else "  # (no header routing)\n"
    )
    target = "$madoguchi_upstream" if route_header else "madoguchi"
    # As root, nginx's workers would switch to "nobody", who cannot write the
    # cluster's private folder (request bodies larger than the buffer go there).
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""# Written by scripts/cluster.py; a production sample is in docs/operations.md.
{user}worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
  access_log {folder}/access.log;
  client_body_temp_path {folder}/client_body;
  proxy_temp_path {folder}/proxy;
  fastcgi_temp_path {folder}/fastcgi;
  uwsgi_temp_path {folder}/uwsgi;
  scgi_temp_path {folder}/scgi;
  # At least MADOGUCHI_MAX_REQUEST_MB (40): the app answers a larger one itself.
  client_max_body_size 41m;
  upstream madoguchi {{
{members}  }}
{route}  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://{target};
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      add_header {UPSTREAM_HEADER} $upstream_addr always;
    }}
  }}
}}
"""


@dataclass
class Cluster:
    """Starts and stops the parts; ``url`` is the load balancer's address."""

    database_url: str
    folder: Path
    servers: int = 2
    python: str = sys.executable
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    app_addresses: list[str] = field(default_factory=list)
    url: str = ""
    s3_url: str = ""

    def env(self, **more: str) -> dict[str, str]:
        base = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("MADOGUCHI_", "DJANGO_", "PYTEST", "AWS_"))
        }
        return {
            **base,
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "madoguchi.settings",
            "DATABASE_URL": self.database_url,
            # Shared by every server: the key signs sessions' cookies and CSRF.
            "MADOGUCHI_SECRET_KEY": "madoguchi-cluster-" + self.folder.name,
            "MADOGUCHI_S3_BUCKET": BUCKET,
            "MADOGUCHI_S3_ENDPOINT_URL": self.s3_url,
            "MADOGUCHI_S3_REGION": REGION,
            "MADOGUCHI_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "MADOGUCHI_S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "MADOGUCHI_TASKS": "database",
            "MADOGUCHI_TRUSTED_PROXY_COUNT": "1",  # nginx adds X-Forwarded-For
            "MADOGUCHI_EMAIL_URL": f"file://{self.folder / 'mail'}",
            "MADOGUCHI_LOCAL_URL": self.url,
            **self.extra_env,
            **more,
        }

    def start(self) -> Cluster:
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            # Everything starts at once (each Python process takes seconds to
            # import); the bucket is made while the app servers boot.
            self._start_s3()
            self.url = f"http://127.0.0.1:{free_port()}"
            for i in range(1, self.servers + 1):
                self._start_app(i)
            self._start_worker()
            self._start_nginx()
            self._make_bucket()
            for address in self.app_addresses:
                self._wait_http(f"http://{address}/", "gunicorn")
            self._wait_http(self.url + "/", "nginx")
        except BaseException:
            self.stop()
            raise
        return self

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 (the child holds it)
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in ./dev cluster reaches us, we stop them
        )  # fmt: skip
        log.close()
        self.processes[name] = process
        return process

    def _start_s3(self) -> None:
        port = free_port()
        self.s3_url = f"http://127.0.0.1:{port}"
        self._spawn(
            "s3",
            [self.python, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            self.env(),
        )

    def _make_bucket(self) -> None:
        self._wait_http(self.s3_url + "/moto-api/", "moto (S3)")
        s3 = self.s3_client()
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        # As a town's bucket must be: nothing in it may ever be made public.
        s3.put_public_access_block(
            Bucket=BUCKET,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )

    def manage(self, *args: str) -> None:
        """A management command with the servers' settings (files go to the bucket)."""
        own = self.folder / "manage"
        env = self.env(MADOGUCHI_VAR_DIR=str(own / "var"), MADOGUCHI_FILES_DIR=str(own / "files"))
        subprocess.run([self.python, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, check=True)

    def s3_client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.s3_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def _start_app(self, i: int) -> None:
        port = free_port()
        address = f"127.0.0.1:{port}"
        self.app_addresses.append(address)
        own = self.folder / f"app{i}"
        env = self.env(
            # Each server's own folders: nothing may depend on them (the test
            # checks the files folder stays empty).
            MADOGUCHI_VAR_DIR=str(own / "var"),
            MADOGUCHI_FILES_DIR=str(own / "files"),
        )
        self._spawn(
            f"app{i}",
            [self.python, "-m", "gunicorn", "madoguchi.wsgi", "--bind", address,
             "--workers", os.environ.get("MADOGUCHI_WORKERS", "1"),
             "--access-logfile", "-", "--pid", str(self.folder / f"app{i}.pid"),
             # Each its own (gunicorn's default is one per user, in the home folder).
             "--control-socket", str(self.folder / f"app{i}.ctl")],
            env,
        )  # fmt: skip

    def _start_worker(self) -> None:
        own = self.folder / "worker"
        env = self.env(MADOGUCHI_VAR_DIR=str(own / "var"), MADOGUCHI_FILES_DIR=str(own / "files"))
        self._spawn(
            "worker",
            [self.python, str(ROOT / "manage.py"), "db_worker", "--interval", "0.5"],
            env,
        )

    def _start_nginx(self) -> None:
        nginx = nginx_binary()
        if nginx is None:
            raise RuntimeError(
                "nginx がありません。./dev cluster で入れるか、apt-get install nginx を実行してください"
            )
        folder = self.folder / "nginx"
        folder.mkdir(exist_ok=True)
        port = int(self.url.rsplit(":", 1)[1])
        conf = folder / "nginx.conf"
        conf.write_text(nginx_conf(folder, port, self.app_addresses, route_header=True))
        self._spawn(
            "nginx",
            [nginx, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log"),
             "-g", "daemon off;"],
            os.environ.copy(),
        )  # fmt: skip

    def _wait_http(self, url: str, what: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} stopped:\n{self.log_tail(name)}")
            try:
                urllib.request.urlopen(url, timeout=5).close()
                return
            except urllib.error.HTTPError:
                return  # it answered
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{what} did not answer at {url}")

    def log_tail(self, name: str, chars: int = 3000) -> str:
        path = self.folder / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        if name == "nginx":
            error_log = self.folder / "nginx" / "error.log"
            text += error_log.read_text(errors="replace") if error_log.exists() else ""
        return text[-chars:]

    def stop(self) -> None:
        # A second Ctrl-C (or uv passing on the first one again) must not leave
        # half of the servers running.
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
        try:
            self._stop()
        finally:
            if main:
                signal.signal(signal.SIGINT, previous)

    def _stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", type=int, default=2, help="app servers (default 2)")
    parser.add_argument(
        "--demo", metavar="PASSWORD", help="add the demo's people and applications (manage demo)"
    )
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        print(
            "./dev cluster: DATABASE_URL に PostgreSQL を指定してください"
            "(複数のアプリサーバーで SQLite のファイルを共有する構成には対応していません)",
            file=sys.stderr,
        )
        return 2
    folder = Path(tempfile.mkdtemp(prefix="madoguchi-cluster-"))
    cluster = Cluster(database_url=database_url, folder=folder, servers=args.servers)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        cluster.start()  # stops what it started if interrupted
        if args.demo:
            cluster.manage("demo", "--password", args.demo)
    except KeyboardInterrupt:
        cluster.stop()
        return 130
    except BaseException:
        cluster.stop()
        raise
    print(f"load balancer (nginx): {cluster.url}/")
    for i, address in enumerate(cluster.app_addresses, 1):
        print(f"app server {i} (gunicorn): http://{address}/")
    print(
        f"S3 (moto, in memory: its files are gone when it stops): {cluster.s3_url}/  bucket {BUCKET}"
    )
    print(f"logs and configuration: {folder}/  (Ctrl-C stops everything)", flush=True)
    try:
        while not (stopped := [n for n, p in cluster.processes.items() if p.poll() is not None]):
            time.sleep(1)
        print(f"{stopped[0]} stopped:\n{cluster.log_tail(stopped[0])}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.stop()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
