"""A throwaway PostgreSQL cluster inside the build tree, with the extension
visible to it without installing anything into /usr.

PostgreSQL finds its share directory (extension control and SQL files) and
its pkglibdir (extension modules) relative to the real path of the postgres
executable, mirroring the compiled-in layout (bindir /usr/lib/postgresql/15/bin,
sharedir /usr/share/postgresql/15). So a copy of the executable at
ROOT/lib/postgresql/15/bin/postgres looks in ROOT/share/postgresql/15 and
ROOT/lib/postgresql/15/lib. This module builds that private tree (symlinks to
the system's files plus our extension files), runs initdb, and starts the
server on a Unix socket only (listen_addresses = ''), never TCP.

PostgreSQL refuses to run as root: when this runs as root, the cluster
directory is given to an unprivileged user (nobody) and initdb, pg_ctl and
postgres run as that user through setpriv. Clients (psql, pg_regress) run as
the caller and connect over the socket with trust authentication.
"""
import os
import pwd
import shutil
import subprocess
import tempfile


def pg_config(bindir, what):
    exe = os.path.join(bindir, "pg_config")
    if not os.path.exists(exe):
        exe = shutil.which("pg_config")
    return subprocess.run([exe, what], check=True, capture_output=True,
                          text=True).stdout.strip()


class Cluster:
    def __init__(self, workdir, module, extension_files, pg_bindir, libpath=None,
                 settings=None):
        self.workdir = os.path.abspath(workdir)
        self.module = os.path.abspath(module)
        self.extension_files = [os.path.abspath(f) for f in extension_files]
        self.sys_bindir = pg_bindir
        self.sys_sharedir = pg_config(pg_bindir, "--sharedir")
        self.sys_pkglibdir = pg_config(pg_bindir, "--pkglibdir")
        self.libpath = libpath
        self.settings = dict(settings or {})
        self.user = "postgres"
        self.running = False
        self.as_nobody = os.geteuid() == 0
        self.logfile = os.path.join(self.workdir, "server.log")

    # ---- the private tree ----

    def _relocated(self, sysdir):
        """Where sysdir lands under the private root (same layout below /usr)."""
        if not sysdir.startswith("/usr/"):
            raise RuntimeError(f"unexpected PostgreSQL layout: {sysdir} is not under /usr")
        return os.path.join(self.root, sysdir[len("/usr/"):])

    def build_tree(self):
        self.root = os.path.join(self.workdir, "pg")
        if os.path.exists(self.root):
            shutil.rmtree(self.root)
        bindir = self._relocated(self.sys_bindir)
        sharedir = self._relocated(self.sys_sharedir)
        libdir = self._relocated(self.sys_pkglibdir)
        os.makedirs(bindir)
        os.makedirs(os.path.join(sharedir, "extension"))
        os.makedirs(libdir)
        # A copy, not a symlink: PostgreSQL resolves symlinks to find itself.
        self.postgres = os.path.join(bindir, "postgres")
        shutil.copy2(os.path.join(self.sys_bindir, "postgres"), self.postgres)
        for name in os.listdir(self.sys_sharedir):
            if name != "extension":
                os.symlink(os.path.join(self.sys_sharedir, name), os.path.join(sharedir, name))
        sysext = os.path.join(self.sys_sharedir, "extension")
        for name in os.listdir(sysext):
            os.symlink(os.path.join(sysext, name), os.path.join(sharedir, "extension", name))
        for f in self.extension_files:
            shutil.copy(f, os.path.join(sharedir, "extension", os.path.basename(f)))
        for name in os.listdir(self.sys_pkglibdir):
            os.symlink(os.path.join(self.sys_pkglibdir, name), os.path.join(libdir, name))
        shutil.copy(self.module, os.path.join(libdir, os.path.basename(self.module)))
        for d, _, files in os.walk(self.root):
            os.chmod(d, 0o755)
        self.sharedir = sharedir
        self.pkglibdir = libdir

    # ---- running commands as the cluster's owner ----

    def _run_owner(self, argv, **kw):
        cmd = list(argv)
        if self.as_nobody:
            # --reset-env drops the environment; pass on what the server needs.
            env = ["env", "LANG=C.UTF-8", "PATH=/usr/bin:/bin"]
            if self.libpath:
                env.append("LD_LIBRARY_PATH=" + self.libpath)
            cmd = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                   "--reset-env"] + env + cmd
            return subprocess.run(cmd, **kw)
        env = dict(os.environ)
        env.pop("PGDATA", None)
        if self.libpath:
            old = env.get("LD_LIBRARY_PATH")
            env["LD_LIBRARY_PATH"] = self.libpath + (":" + old if old else "")
        return subprocess.run(cmd, env=env, **kw)

    # ---- life cycle ----

    def start(self):
        self.build_tree()
        self.data = os.path.join(self.workdir, "data")
        sock = os.path.join(self.workdir, "sock")
        if len(sock) > 90:  # Unix socket paths are limited to 107 bytes
            sock = tempfile.mkdtemp(prefix="rulebook-pg-")
            self._tmp_sock = sock
        else:
            self._tmp_sock = None
            if os.path.exists(sock):
                shutil.rmtree(sock)
            os.makedirs(sock)
        self.socket_dir = sock
        for d in (self.data,):
            if os.path.exists(d):
                shutil.rmtree(d)
            os.makedirs(d)
        if os.path.exists(self.logfile):
            os.remove(self.logfile)
        open(self.logfile, "w").close()
        if self.as_nobody:
            nobody = pwd.getpwnam("nobody")
            for p in (self.data, sock, self.logfile):
                os.chown(p, nobody.pw_uid, nobody.pw_gid)
            os.chmod(self.workdir, 0o755)
        os.chmod(self.data, 0o700)
        r = self._run_owner([os.path.join(self.sys_bindir, "initdb"), "-D", self.data,
                             "-U", self.user, "--auth=trust", "--no-sync", "-E", "UTF8",
                             "--locale=C"], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("initdb failed:\n" + r.stdout + r.stderr)
        conf = {
            "listen_addresses": "''",
            "unix_socket_directories": f"'{sock}'",
            "port": "5432",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_worker_processes": "8",
            "max_parallel_workers": "4",
            "shared_buffers": "128MB",
            "log_min_messages": "warning",
        }
        conf.update(self.settings)
        with open(os.path.join(self.data, "postgresql.auto.conf"), "a") as f:
            for k, v in conf.items():
                f.write(f"{k} = {v}\n")
        r = self._run_owner([os.path.join(self.sys_bindir, "pg_ctl"), "-D", self.data,
                             "-p", self.postgres, "-l", self.logfile, "-w", "-t", "60",
                             "start"], capture_output=True, text=True)
        self.running = True  # stop() even if start reported failure half-way
        if r.returncode != 0:
            raise RuntimeError("pg_ctl start failed:\n" + r.stdout + r.stderr + self.log())

    def stop(self):
        if not self.running:
            return
        self._run_owner([os.path.join(self.sys_bindir, "pg_ctl"), "-D", self.data, "-m",
                         "fast", "-w", "-t", "60", "stop"], capture_output=True, text=True)
        pidfile = os.path.join(self.data, "postmaster.pid")
        if os.path.exists(pidfile):  # fast shutdown failed: immediate
            self._run_owner([os.path.join(self.sys_bindir, "pg_ctl"), "-D", self.data, "-m",
                             "immediate", "-w", "stop"], capture_output=True, text=True)
        self.running = False
        if self._tmp_sock:
            shutil.rmtree(self._tmp_sock, ignore_errors=True)

    def log(self):
        try:
            with open(self.logfile, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    # ---- clients ----

    def conninfo(self, db="postgres"):
        return ["-h", self.socket_dir, "-p", "5432", "-U", self.user, "-d", db]

    def psql(self, sql, db="postgres", check=True, input=None, args=()):
        argv = [os.path.join(self.sys_bindir, "psql"), "-X", "-q", "-A", "-t",
                "-v", "ON_ERROR_STOP=1"] + self.conninfo(db) + list(args)
        if sql is not None and len(sql) > 65536:
            input = sql  # too long for the command line
        elif sql is not None:
            argv += ["-c", sql]
        r = subprocess.run(argv, capture_output=True, text=True, input=input)
        if check and r.returncode != 0:
            raise RuntimeError(f"psql failed ({r.returncode}): {sql}\n{r.stderr}")
        return r
