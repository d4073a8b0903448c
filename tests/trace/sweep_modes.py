#!/usr/bin/env python3
"""vmtrace sweep gives the same results.csv whichever way its jobs run:
--local, GNU parallel (Debian's `parallel`) on the lines of --emit parallel,
and a Slurm array submitted from --emit slurm to a one-node cluster that
this test starts itself (Debian's slurm-wlm and munge; munged is reused when
one runs already) and stops after. Then an interrupted sweep resumes: a
--local run killed after its second job, run again, skips the finished jobs
(their files untouched), redoes the rest, and merges the same CSV.

The sweep: 2 workloads (bench-loadstore and bench-pagefault, iters=2: small
traces) x 6 configurations (3 DTLB sizes x 2 policies), 3 configurations a
job, so 4 jobs. A missing tool fails the test (scripts/setup installs them).

usage: sweep_modes.py VMTRACE VMSCOPE BENCH_DIR WORKDIR
"""
import csv
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from checklib import check, finish, failed

vt, vmscope, bench, work = (os.path.abspath(a) for a in sys.argv[1:5])
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
env = dict(os.environ, VMSCOPE=vmscope)


for tool in ["parallel", "sbatch", "slurmctld", "slurmd", "munged", "sinfo", "scancel"]:
    if not shutil.which(tool) and not os.path.exists("/usr/sbin/" + tool):
        check(False, f"{tool} is installed (bash scripts/setup installs slurm-wlm, munge, parallel)")
if failed():
    finish()


def sweep_file(name):
    path = os.path.join(work, name + ".sweep")
    with open(path, "w") as f:
        f.write(f"""# two small workloads x six TLB configurations
out = {name}
workload loadstore = --cmdline iters=2 {bench}/bench-loadstore.elf
workload pagefault = --cmdline 'iters=2' {bench}/bench-pagefault.elf   # quoted words split as sh does
grid = dtlb=16:4,32:4,64:4;policy=lru,fifo
""")
    return path


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=600, **kw)


def results(name):
    p = os.path.join(work, name, "results.csv")
    return open(p).read() if os.path.exists(p) else None


# --local
sf = sweep_file("local")
p = run([vt, "sweep", sf, "--local", "--jobs", "2", "--per-job", "3"])
local = results("local")
check(p.returncode == 0 and local is not None, "sweep --local", p.stdout + p.stderr)
rows = list(csv.reader(local.splitlines())) if local else []
check(len(rows) == 13 and rows[0] == ["trace", "kind", "config", "structure", "policy", "lookups", "hits",
                                      "misses", "hit_rate", "evictions", "faults"],
      "results.csv: a header and 2 x 6 rows", local or "")
check(sorted({r[0] for r in rows[1:]}) == ["loadstore", "pagefault"], "results.csv: both workloads")
for ext, magic in ((".svg", b"<?xml"), (".png", b"\x89PNG")):
    path = os.path.join(work, "local", "missrate" + ext)
    check(os.path.exists(path) and open(path, "rb").read(5).startswith(magic[:4]), "--collect drew missrate" + ext)

# GNU parallel on the emitted lines
sf = sweep_file("parallel")
p = run([vt, "sweep", sf, "--emit", "parallel", "--per-job", "3"])
lines = p.stdout.splitlines()
check(p.returncode == 0 and len(lines) == 4, "--emit parallel: one line per job (4)", p.stdout + p.stderr)
q = run(["parallel", "--will-cite", "-j", "2", "--halt", "now,fail=1"], input=p.stdout)
check(q.returncode == 0, "GNU parallel ran the jobs", q.stdout + q.stderr)
c = run([vt, "sweep", "--collect", os.path.join(work, "parallel")])
check(c.returncode == 0 and results("parallel") == local, "parallel: the same results.csv as --local",
      c.stderr + (results("parallel") or ""))


# Slurm: a one-node cluster of our own
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def slurm_sweep():
    sdir = os.path.join(work, "slurm-cluster")
    os.makedirs(os.path.join(sdir, "state"))
    os.makedirs(os.path.join(sdir, "spool"))
    host = subprocess.run(["hostname", "-s"], capture_output=True, text=True).stdout.strip()
    mem = int(open("/proc/meminfo").read().split("MemTotal:")[1].split()[0]) // 1024 // 2
    conf = os.path.join(sdir, "slurm.conf")
    with open(conf, "w") as f:
        f.write(f"""ClusterName=vmtracetest
SlurmctldHost={host}
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation={sdir}/state
SlurmdSpoolDir={sdir}/spool
SlurmctldPidFile={sdir}/slurmctld.pid
SlurmdPidFile={sdir}/slurmd.pid
SlurmctldLogFile={sdir}/slurmctld.log
SlurmdLogFile={sdir}/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName={host} CPUs={os.cpu_count()} RealMemory={mem} State=UNKNOWN
PartitionName=sweeptest Nodes={host} Default=YES MaxTime=INFINITE State=UP
""")
    senv = dict(env, SLURM_CONF=conf)
    started = []
    munged = None
    # munged: reuse one that runs (its socket answers), else start our own
    if subprocess.run(["munge", "-n"], capture_output=True).returncode != 0:
        os.makedirs("/run/munge", exist_ok=True)
        shutil.chown("/run/munge", "munge", "munge")
        m = subprocess.run(["/usr/sbin/munged", "--force"], capture_output=True, text=True)
        if not check(m.returncode == 0, "munged --force started", m.stderr):
            return None
        try:
            munged = int(open("/run/munge/munged.pid").read().split()[0])
        except (OSError, ValueError):
            munged = None
    try:
        for d in ("slurmctld", "slurmd"):
            log = open(os.path.join(sdir, d + ".out"), "w")
            started.append(subprocess.Popen([shutil.which(d) or "/usr/sbin/" + d, "-D"], env=senv,
                                            stdout=log, stderr=subprocess.STDOUT))
        state = ""
        for _ in range(120):
            state = subprocess.run(["sinfo", "-h", "-o", "%t"], capture_output=True, text=True, env=senv).stdout.strip()
            if state in ("idle", "mix", "alloc"):
                break
            if any(x.poll() is not None for x in started):
                break
            time.sleep(0.5)
        logs = "".join(open(os.path.join(sdir, n)).read()[-1500:] for n in ("slurmctld.out", "slurmd.out",
                                                                             "slurmctld.log", "slurmd.log")
                       if os.path.exists(os.path.join(sdir, n)))
        if not check(state == "idle", f"one-node Slurm cluster up (node {host}: {state or 'no answer'})", logs):
            return None
        sf = sweep_file("slurm")
        e = run([vt, "sweep", sf, "--emit", "slurm", "--per-job", "3", "--jobs", "1", "--mem", "256M",
                 "--time", "10"])
        script = os.path.join(work, "slurm", "sweep.sbatch")
        text = open(script).read() if os.path.exists(script) else ""
        check(e.returncode == 0 and "#SBATCH --array=0-3" in text and "--cpus-per-task=1" in text
              and "--mem=256M" in text, "--emit slurm wrote an array script of 4 tasks with its resources",
              e.stdout + e.stderr + text)
        b = subprocess.run(["sbatch", "--wait", script], capture_output=True, text=True, env=senv, timeout=600)
        out = "".join(open(os.path.join(work, "slurm", "logs", n)).read()
                      for n in sorted(os.listdir(os.path.join(work, "slurm", "logs"))))
        check(b.returncode == 0, "sbatch --wait: every array task ended well", b.stdout + b.stderr + out)
        c = run([vt, "sweep", "--collect", os.path.join(work, "slurm")])
        return c
    finally:
        subprocess.run(["scancel", "--quiet", "-u", "root"], env=senv, capture_output=True)
        for x in reversed(started):
            if x.poll() is None:
                x.send_signal(signal.SIGTERM)
                try:
                    x.wait(30)
                except subprocess.TimeoutExpired:
                    x.kill()
                    x.wait()
        if munged:
            try:
                os.kill(munged, signal.SIGTERM)
            except ProcessLookupError:
                pass


c = slurm_sweep()
if c is not None:
    check(c.returncode == 0 and results("slurm") == local, "slurm: the same results.csv as --local",
          c.stderr + (results("slurm") or ""))

# An interrupted sweep resumes without redoing finished jobs
sf = sweep_file("resume")
jobs = os.path.join(work, "resume", "jobs")
x = subprocess.Popen([vt, "sweep", sf, "--local", "--per-job", "3"], stderr=subprocess.PIPE, text=True, env=env)
seen = []
for line in x.stderr:
    seen.append(line)
    if "job 1: done" in line:
        x.kill()
        break
x.wait()
done_at_kill = sorted(os.listdir(jobs)) if os.path.isdir(jobs) else []
check("0.csv" in done_at_kill and "1.csv" in done_at_kill and "3.csv" not in done_at_kill,
      "a --local sweep killed after job 1 left jobs 0 and 1 complete, job 3 not", "".join(seen) + str(done_at_kill))
with open(os.path.join(jobs, "3.csv.part"), "w") as f:
    f.write("trace,kind\nhalf a row")        # what a job killed while writing leaves
stamp = {k: os.stat(os.path.join(jobs, k)).st_mtime_ns for k in ("0.csv", "1.csv") if k in done_at_kill}
p = run([vt, "sweep", sf, "--local", "--per-job", "3"])
check(p.returncode == 0 and "job 0: complete, skipped" in p.stderr and "job 1: complete, skipped" in p.stderr
      and "job 3: done" in p.stderr, "the re-run skipped jobs 0 and 1 and ran job 3", p.stderr)
check(all(os.stat(os.path.join(jobs, k)).st_mtime_ns == t for k, t in stamp.items()),
      "the finished jobs' files were not rewritten")
check(results("resume") == local, "resumed: the same results.csv as --local", results("resume") or "")
check(not os.path.exists(os.path.join(jobs, "3.csv.part")), "the partial file was redone")

finish()
