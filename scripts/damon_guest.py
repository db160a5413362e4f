"""Shared by the Python scripts that run in the VM: DAMON sysfs paths and
file access, which kernel booted, the kdamond set-up they share, and
DAMON_STAT, which runs from boot and holds DAMON exclusively, turned off
for a run and given its state back afterwards.

The functions that write take the read and write functions to use, so that
a caller can bound each access (storm-guest.py) or let it raise (the
default).
"""
import errno
import os

ADMIN = '/sys/kernel/mm/damon/admin'
STAT = '/sys/module/damon_stat/parameters'


def kd_dir(kd):
    return '%s/kdamonds/%d' % (ADMIN, kd)


def ctx_dir(kd):
    'The one context of kdamond KD'
    return kd_dir(kd) + '/contexts/0'


def read(path):
    with open(path) as f:
        return f.read().strip()


def write(path, value):
    with open(path, 'w') as f:
        f.write(str(value))


def try_write(path, value):
    'Write; returns "ok", or the errno name of the failure'
    try:
        write(path, value)
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))
    return 'ok'


def patched():
    'Whether the patched kernel booted: its contexts have a paused file'
    return os.path.exists(ctx_dir(0) + '/paused')


def add_stat_context(kd, nr_schemes, write=write):
    """Give kdamond KD one paddr context with NR_SCHEMES DAMOS_STAT
    schemes, whose access pattern selects every region."""
    write(kd_dir(kd) + '/contexts/nr_contexts', 1)
    ctx = ctx_dir(kd)
    write(ctx + '/operations', 'paddr')
    write(ctx + '/schemes/nr_schemes', nr_schemes)
    for i in range(nr_schemes):
        scheme = '%s/schemes/%d' % (ctx, i)
        write(scheme + '/action', 'stat')
        for knob, maximum in (('sz', 2**64 - 1), ('nr_accesses', 2**32 - 1),
                              ('age', 2**32 - 1)):
            write('%s/access_pattern/%s/min' % (scheme, knob), 0)
            write('%s/access_pattern/%s/max' % (scheme, knob), maximum)


def stat_off(read=read, write=write):
    """Turn DAMON_STAT off; returns its 'enabled' value, None without
    DAMON_STAT"""
    if not os.path.exists(STAT + '/enabled'):
        return None
    was = read(STAT + '/enabled')
    write(STAT + '/enabled', 'N')
    return was


def stat_restore(was, read=read, write=write):
    """Give DAMON_STAT the 'enabled' value WAS back, unpaused; returns what
    is wrong with its state then, as a list of strings"""
    if was is None:
        return []
    has_pause = os.path.exists(STAT + '/pause')
    if has_pause:
        write(STAT + '/pause', 'N')
    write(STAT + '/enabled', was)
    enabled = read(STAT + '/enabled')
    pid = int(read(STAT + '/kdamond_pid'))
    pause = read(STAT + '/pause') if has_pause else 'absent'
    if enabled != was:
        return ['DAMON_STAT: enabled reads %s, was %s' % (enabled, was)]
    if was == 'Y' and (pid <= 0 or pause == 'Y'):
        return ['DAMON_STAT: enabled but kdamond_pid %d, pause %s' %
                (pid, pause)]
    return []
