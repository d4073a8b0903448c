#!/usr/bin/env python3
"""The counting rules of docs/trace-format.md, on a real run: boot the guest
kernel with a trace, read the kernel's counters from its `model:` lines (the
last quiet point) and count the trace's annotation records (`vmtrace dump
--kind annot`); every rule must hold exactly:

  pswpout        = evict records
  pswpin         = swap-in records (read-around ones have vpage ffffffff)
  pgmajfault     = major-fault records; those with source swap = swap-in
                   records of a faulting page
  pgcache_insert, pgcache_evict, pgwriteback, pgcache_hit = pcache-insert,
                   pcache-evict, writeback and pcache-hit records
  pgscan/pgsteal = sums of the reclaim records' scanned/freed fields
  reclaim passes = reclaim records by who; kswapd_wakeups = kswapd wakes
  oom_kills      = oom-kill records
  every evict record carries the run's policy (reclaim=, 2q by default)
  frames by use, and the LRU lists' lengths, at the last mark record
  (label 1) = the kernel's meminfo there
and `vmtrace stats --disk DISK` reports the same page-cache totals per
process and per file, with file faults that read the disk = major faults
from files, and names /sbin/init by its path.

usage: counting.py VMSCOPE VMTRACE KERNEL INITRD DISK MEM CMDLINE
It also requires the run to have swapped (pswpout and pswpin above zero), so
the rules are tested where they matter."""
import os, re, subprocess, sys, tempfile

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

USES = ['kernel', 'pgtable', 'slab', 'vmalloc', 'anon', 'pcache', 'swapcache', 'buffer']


def fields(text):
    return dict(kv.split('=', 1) for kv in text.split() if '=' in kv)


def model(out):
    """The kernel's counters from the last model: lines."""
    m = {}
    for line in out.splitlines():
        if line.startswith('model: '):
            kind, rest = line[7:].split(' ', 1)
            for k, v in fields(rest).items():
                m[kind + '.' + k] = v
    return m


def count_records(dump, policy):
    """Tallies of the annotation records: over the whole trace, and up to the
    last mark (label 1: the quiet point whose counters the model: lines
    give; a process may still fault after it), with the frame state there."""
    c = {k: 0 for k in ('evict', 'evict-other-policy', 'swap-in', 'swap-in-fault', 'major-fault',
                        'major-fault-swap', 'scanned', 'freed', 'reclaim-kswapd', 'reclaim-direct',
                        'kswapd-wake', 'oom-kill', 'mark', 'pcache-insert', 'pcache-evict', 'writeback',
                        'pcache-hit')}
    use, lst = {}, {}
    at_mark = None
    for line in dump:
        m = re.search(r' annot (\S+) (.*)$', line)
        if not m:
            continue
        kind, f = m.group(1), fields(m.group(2))
        if kind == 'evict':
            c['evict'] += 1
            c['evict-other-policy'] += f['policy'] != policy
        elif kind == 'swap-in':
            c['swap-in'] += 1
            if f['vpage'] != 'ffffffff':
                c['swap-in-fault'] += 1
        elif kind == 'major-fault':
            c['major-fault'] += 1
            c['major-fault-swap'] += f['source'] == 'swap'
        elif kind in ('pcache-insert', 'pcache-evict', 'writeback', 'pcache-hit'):
            c[kind] += 1
        elif kind == 'reclaim':
            c['scanned'] += int(f['scanned'])
            c['freed'] += int(f['freed'])
            c['reclaim-' + f['who']] += 1
        elif kind == 'kswapd' and f['state'] == 'wake':
            c['kswapd-wake'] += 1
        elif kind == 'oom-kill':
            c['oom-kill'] += 1
        elif kind == 'frame-alloc':
            first, n = int(f['frame'], 16), 1 << int(f['order'])
            for fr in range(first, first + n):
                use[fr] = f['use']
        elif kind == 'frame-free':
            first, n = int(f['frame'], 16), 1 << int(f['order'])
            for fr in range(first, first + n):
                use.pop(fr, None)
                lst.pop(fr, None)
        elif kind == 'lru-move':
            lst[int(f['frame'], 16)] = f['list']
        elif kind == 'mark' and f['label'] == '1':
            c['mark'] += 1
            at_mark = ({u: sum(1 for v in use.values() if v == u) for u in USES},
                       {l: sum(1 for v in lst.values() if v == l) for l in ('active', 'inactive')},
                       dict(c))
    return c, at_mark


def pcache_tables(text):
    """vmtrace stats' page-cache tables: title -> (rows, the 'all' row), each
    a dict of the numeric columns (and 'path' in the per-file table)."""
    out, cur = {}, None
    for line in text.splitlines():
        if line.startswith('page cache per '):
            cur = line.split(' (')[0]
            out[cur] = ([], None)
            continue
        if cur is None:
            continue
        if not line.strip():
            cur = None
            continue
        w = line.split()
        if w[0] in ('pid', 'inode'):
            continue
        nums = [int(x) for x in w[-7:] if not x.endswith('%')]
        row = dict(zip(['hits', 'misses', 'faults', 'major', 'evicts', 'writebacks'], nums))
        if w[0] == 'all':
            out[cur] = (out[cur][0], row)
        else:
            row['path'] = w[1]
            out[cur][0].append(row)
    return {t: v for t, v in out.items() if v[1] is not None}


def main():
    vmscope, vmtrace, kernel, initrd, disk, mem, cmdline = sys.argv[1:8]
    fails = []

    def expect(what, got, want):
        if str(got) != str(want):
            fails.append('%s: the trace gives %s, the kernel says %s' % (what, got, want))

    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, 'run.vmt')
        p = subprocess.run([vmscope, 'run', '--quiet', '--mem', mem, '--disk', disk, '--disk-snapshot',
                            '--module', initrd,
                            '--cmdline', cmdline, '--trace', trace, kernel],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=1200 * TIMEOUT_SCALE)
        if p.returncode != 1:
            print('FAIL: vmscope exit status %d, expected 1\n%s\n%s' % (p.returncode, p.stdout[-3000:], p.stderr[-2000:]))
            return 1
        k = model(p.stdout)
        d = subprocess.Popen([vmtrace, 'dump', trace, '--kind', 'annot'], stdout=subprocess.PIPE, text=True)
        total, at_mark = count_records(d.stdout, k.get('vmstat.policy'))
        if d.wait() != 0:
            print('FAIL: vmtrace dump failed')
            return 1
        if not at_mark:
            print('FAIL: no mark record (label 1) in the trace')
            return 1
        uses, lists, c = at_mark
        st = subprocess.run([vmtrace, 'stats', trace, '--disk', disk], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, timeout=600 * TIMEOUT_SCALE)
        if st.returncode != 0:
            print('FAIL: vmtrace stats --disk failed:\n' + st.stderr[-2000:])
            return 1
    tables = pcache_tables(st.stdout)
    for t in ('page cache per process', 'page cache per file'):
        if t not in tables:
            fails.append('vmtrace stats printed no table "%s"' % t)
            continue
        rows, row = tables[t]
        after = {kind: total[kind] - c[kind] for kind in total}     # records after the last mark

        def expect_stat(col, counter, kind):
            expect('%s: %s (%s, with %d record(s) after the last mark)' % (t, col, counter, after[kind]),
                   row[col], int(k[counter]) + after[kind])
        expect_stat('hits', 'pagecache.hit', 'pcache-hit')
        expect_stat('misses', 'pagecache.insert', 'pcache-insert')
        expect_stat('evicts', 'pagecache.evict', 'pcache-evict')
        expect_stat('writebacks', 'pagecache.writeback', 'writeback')
        expect(t + ': major (major-fault records from files)', row['major'],
               total['major-fault'] - total['major-fault-swap'])
        for col in row:
            expect(t + ': column %s, sum of the rows' % col, sum(r[col] for r in rows), row[col])
    if 'page cache per file' in tables and not any(r['path'] == '/sbin/init' for r in tables['page cache per file'][0]):
        fails.append('vmtrace stats --disk named no file /sbin/init')
    if int(k['vmstat.pswpout']) == 0 or int(k['vmstat.pswpin']) == 0:
        fails.append('the run did not swap (pswpout %s, pswpin %s)' % (k['vmstat.pswpout'], k['vmstat.pswpin']))
    expect('evict records (pswpout)', c['evict'], k['vmstat.pswpout'])
    expect('evict records with another policy than ' + k['vmstat.policy'], c['evict-other-policy'], 0)
    expect('swap-in records (pswpin)', c['swap-in'], k['vmstat.pswpin'])
    expect('major-fault records (pgmajfault)', c['major-fault'], k['vmstat.pgmajfault'])
    expect('swap-in records of faulting pages (major faults from swap)', c['swap-in-fault'],
           c['major-fault-swap'])
    expect('pcache-insert records (pgcache_insert)', c['pcache-insert'], k['pagecache.insert'])
    expect('pcache-evict records (pgcache_evict)', c['pcache-evict'], k['pagecache.evict'])
    expect('writeback records (pgwriteback)', c['writeback'], k['pagecache.writeback'])
    expect('pcache-hit records (pgcache_hit)', c['pcache-hit'], k['pagecache.hit'])
    expect('scanned fields (pgscan)', c['scanned'], k['vmstat.pgscan'])
    expect('freed fields (pgsteal)', c['freed'], k['vmstat.pgsteal'])
    expect('reclaim records (kswapd/direct)', '%d/%d' % (c['reclaim-kswapd'], c['reclaim-direct']),
           k['vmstat.reclaim'])
    expect('kswapd wake records (kswapd_wakeups)', c['kswapd-wake'], k['vmstat.kswapd_wakeups'])
    expect('oom-kill records (oom_kills)', c['oom-kill'], k['vmstat.oom_kills'])
    for u in USES:
        expect('frames of use %s at the last mark' % u, uses[u], k['frames.' + u])
    expect('active list at the last mark', lists['active'], k['swap.active'])
    expect('inactive list at the last mark', lists['inactive'], k['swap.inactive'])
    if fails:
        print('FAIL: the trace and the kernel disagree:\n  ' + '\n  '.join(fails))
        return 1
    print('counting rules hold (policy %s): %d evict = pswpout, %d swap-in = pswpin (%d read around), '
          '%d major faults (%d from swap), %d reclaim passes, %d page-cache inserts, %d evictions, '
          '%d writebacks, %d hits, %d marks'
          % (k['vmstat.policy'], c['evict'], c['swap-in'], c['swap-in'] - c['swap-in-fault'],
             c['major-fault'], c['major-fault-swap'], c['reclaim-kswapd'] + c['reclaim-direct'],
             c['pcache-insert'], c['pcache-evict'], c['writeback'], c['pcache-hit'], c['mark']))
    return 0


if __name__ == '__main__':
    sys.exit(main())
