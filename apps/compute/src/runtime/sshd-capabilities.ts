/**
 * What sshd and a root login need, nothing more (within Kubernetes Pod Security `baseline`; Docker's default set adds more, e.g. NET_RAW, MKNOD):
 * - CHOWN: sshd hands the session's pty to the login user; the entrypoint chowns the copied keys.
 * - SETUID, SETGID: the privilege-separated child drops to the `sshd` user, sessions switch to the login user.
 * - SYS_CHROOT: the pre-auth child chroots into /run/sshd (privilege separation), sshd exits without it.
 * - AUDIT_WRITE: PAM's session setup writes a login audit record; without it Debian's sshd refuses the login.
 * - NET_BIND_SERVICE: sshd listens on 22, and a user's server may bind 80/443 as ingress target ports.
 * - KILL: sshd's monitor (root) signals its children running as other users.
 * - DAC_OVERRIDE: root's shell reads and writes files of other users in the mount paths, as root normally can.
 * Not added: NET_RAW (no raw sockets/ping spoofing), SYS_ADMIN, MKNOD, SETFCAP, NET_ADMIN.
 */
export const SSHD_CAPABILITIES = [
  'CHOWN',
  'SETUID',
  'SETGID',
  'SYS_CHROOT',
  'AUDIT_WRITE',
  'NET_BIND_SERVICE',
  'KILL',
  'DAC_OVERRIDE',
] as const;
