# JupyterHub for an officenet class on one machine: `make hub` (see docs/trainer-guide.md, "A class on a hub").
#
# Every learner gets their own JupyterLab, started on 127.0.0.1 from this project's .venv, with a copy of the
# notebooks (without the trainer's solutions) in their home folder, trusted so the stored diagrams show at once.
# Learners reach the hub through configurable-http-proxy on OFFICENET_HUB_IP:OFFICENET_HUB_PORT.
#
# Two ways to give learners an account (OFFICENET_HUB_USERS):
#   system  (default) each learner is a Unix account on the machine, created by the trainer (useradd); PAM
#           checks their password and LocalProcessSpawner runs their server as that user: learners cannot
#           read each other's files. The hub runs as root.
#   shared  learners choose a name and type the room's password (OFFICENET_HUB_PASSWORD, 8 characters or
#           more); every server runs as the hub's own user, in its own folder under OFFICENET_HUB_STATE/homes.
#           No isolation between learners (JupyterHub's SimpleLocalProcessSpawner): for a throwaway machine
#           and a day's class. Without a password any name and password get in (DummyAuthenticator): the
#           tests use that, on loopback only.
# State (database, cookie secret, homes in shared mode) lives in OFFICENET_HUB_STATE (default build/hub).
import os
import pwd
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent  # the hub runs from the project's .venv, so do the learners
STATE = Path(os.environ.get("OFFICENET_HUB_STATE", ROOT / "build" / "hub")).resolve()
STATE.mkdir(parents=True, exist_ok=True)
USERS = os.environ.get("OFFICENET_HUB_USERS", "system")
PROXY = os.environ.get("OFFICENET_HUB_PROXY", str(ROOT / ".venv" / "node" / "node_modules" / ".bin" /
                                                   "configurable-http-proxy"))

c = get_config()  # noqa: F821 (JupyterHub provides it)

c.JupyterHub.ip = os.environ.get("OFFICENET_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("OFFICENET_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("OFFICENET_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('OFFICENET_HUB_PROXY_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [PROXY]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every learner's server

c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab/tree/00-overview.ipynb"
c.Spawner.start_timeout = 180  # a 2-core machine starting many learners at once is slow
c.Spawner.http_timeout = 180
c.Spawner.env_keep = ["PATH", "LANG", "LC_ALL"]
c.Spawner.environment = {"PATH": f"{VENV_BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}"}
args = []
if os.environ.get("OFFICENET_HUB_EXPOSE_APP"):  # tests drive JupyterLab's commands from the browser
    args.append("--LabApp.expose_app_in_browser=True")


def copy_notebooks(home: Path, owner: str | None = None) -> None:
    """The learner's own copy of the notebooks and scenarios (once: their work survives a restart), trusted."""
    import nbformat
    from nbformat.sign import NotebookNotary

    target = home / "notebooks"
    if not target.exists():
        shutil.copytree(ROOT / "notebooks", target, ignore=shutil.ignore_patterns("solutions", ".ipynb_checkpoints"))
        shutil.copytree(ROOT / "scenarios", home / "scenarios")
    data_dir = home / ".local" / "share" / "jupyter"  # where the learner's JupyterLab looks for signatures
    data_dir.mkdir(parents=True, exist_ok=True)
    notary = NotebookNotary(data_dir=str(data_dir))
    for path in target.rglob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        if not notary.check_signature(nb):
            notary.sign(nb)
    if owner:
        user = pwd.getpwnam(owner)
        for path in [home / "notebooks", home / "scenarios", home / ".local", *home.joinpath(".local").rglob("*"),
                     *target.rglob("*"), *(home / "scenarios").rglob("*")]:
            os.chown(path, user.pw_uid, user.pw_gid)


if USERS == "shared":
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "homes" / "{username}")
    c.Spawner.notebook_dir = str(STATE / "homes" / "{username}" / "notebooks")
    if os.geteuid() == 0:  # every server runs as the hub's user: as root, Jupyter must be told it may
        args.append("--allow-root")
    password = os.environ.get("OFFICENET_HUB_PASSWORD", "")
    if password:
        c.JupyterHub.authenticator_class = "shared-password"
        c.SharedPasswordAuthenticator.user_password = password
    else:
        c.JupyterHub.authenticator_class = "dummy"
    c.Authenticator.allow_all = True

    def pre_spawn(spawner):
        home = Path(spawner.home_dir)
        home.mkdir(parents=True, exist_ok=True)
        copy_notebooks(home)
else:
    c.JupyterHub.authenticator_class = "pam"
    c.Authenticator.allow_all = True  # every account of the machine that PAM accepts
    c.Spawner.notebook_dir = "~/notebooks"

    def pre_spawn(spawner):
        home = Path(pwd.getpwnam(spawner.user.name).pw_dir)
        copy_notebooks(home, owner=spawner.user.name)

c.Spawner.pre_spawn_hook = pre_spawn
c.Spawner.args = args
