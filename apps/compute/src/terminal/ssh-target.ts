/** How compute reaches one container's sshd: every field comes from compute_db, none from the client. */
export interface SshTarget {
  host: string;
  port: number;
  /** The container's pinned host key, `ssh-ed25519 AAAA...`: anything else answering is refused. */
  hostPublicKey: string;
  username: string;
  /** The container's platform key (OpenSSH private key), which only that container trusts. */
  privateKey: string;
}
