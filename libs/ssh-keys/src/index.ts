export { generateEd25519Pair, type OpenSshKeyPair } from './ed25519-pair';
export { sshFingerprint } from './fingerprint';
export { pinnedHostVerifier, publicKeyBlob } from './host-key-pin';
