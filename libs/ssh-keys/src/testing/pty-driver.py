"""Runs a command (ssh -tt ...) on a real pseudo-terminal, asks the remote shell for its size, resizes, asks again.

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
            os.kill(pid, 9)
            sys.exit(2)
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                return

# The markers are computed by the shell, so the echo of the typed line never matches them.
os.write(fd, b'echo SIZE1 $(stty size) END$((20+1))\n')
wait_for(b'END21')
set_size(fd, 50, 132)
# SIGWINCH -> window-change -> the remote TIOCSWINSZ takes a moment: ask until the new size shows (at most 20 times).
for attempt in range(20):
    os.write(fd, b'echo SIZE2 $(stty size) END$((%d+1000))\n' % attempt)
    wait_for(b'END%d' % (attempt + 1000))
    if b'SIZE2 50 132' in seen:
        break
    time.sleep(0.25)
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
