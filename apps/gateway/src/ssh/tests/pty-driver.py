"""Runs a command (ssh -tt ...) on a real pseudo-terminal, types into it and resizes it.

Usage: pty-driver.py <command...>. Prints everything the terminal showed, then EXIT=<status>.
The resize is a TIOCSWINSZ on the terminal: the kernel sends SIGWINCH to ssh, which sends window-change.
"""
import fcntl, os, pty, select, struct, sys, termios, time

def set_size(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))

pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])

set_size(fd, 24, 80)
seen = b''

def wait_for(token, timeout=20):
    global seen
    deadline = time.time() + timeout
    while token not in seen:
        if time.time() > deadline:
            sys.stdout.write(seen.decode(errors='replace'))
            sys.stdout.write('\nTIMEOUT waiting for %r\n' % token)
            sys.exit(2)
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                return

time.sleep(0.5)
os.write(fd, b'stty size; echo AA$((20+1))BB\n')
wait_for(b'AA21BB')
set_size(fd, 50, 132)
time.sleep(0.5)
os.write(fd, b'stty size; echo CC$((30+2))DD\n')
wait_for(b'CC32DD')
os.write(fd, b'exit 7\n')
_, status = os.waitpid(pid, 0)
try:
    while True:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            break
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        seen += chunk
except OSError:
    pass
sys.stdout.write(seen.decode(errors='replace'))
sys.stdout.write('\nEXIT=%d\n' % os.waitstatus_to_exitcode(status))
