"""The pass/fail bookkeeping of the Python test scripts: check() prints one
line per assertion (`ok   WHAT` or `FAIL WHAT`, then the detail that
explains a failure) and returns whether it held; failed() says whether any
did; finish() prints the tally and exits 1 when anything failed. A script
imports it with

    sys.dont_write_bytecode = True     # no __pycache__ in the source tree
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
    from checklib import check, finish
"""
import sys

_passed = 0
_failed = 0


def check(ok, what, detail='', tail=2000):
    global _passed, _failed
    print(('ok   ' if ok else 'FAIL ') + what)
    if ok:
        _passed += 1
        return True
    _failed += 1
    if detail:
        print('  ' + str(detail)[-tail:].replace('\n', '\n  '))
    return False


def failed():
    return _failed


def finish():
    print('%d passed, %d failed' % (_passed, _failed))
    sys.exit(1 if _failed else 0)
