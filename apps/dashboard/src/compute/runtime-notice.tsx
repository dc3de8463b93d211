import { useComputeRuntime } from '../api/compute-queries';

/**
 * Compute without a container runtime still answers its API, but nothing will run: the section says so, and what
 * to do, before anyone creates a container that would only fail.
 */
export function RuntimeNotice() {
  const runtime = useComputeRuntime();
  if (!runtime.data || runtime.data.available) return null;
  return (
    <div className="notice notice-error runtime-notice" role="alert" data-testid="runtime-unavailable">
      <p>
        <strong>Containers cannot run right now.</strong> {runtime.data.reason}
      </p>
      <p className="muted">
        On a development machine, start the platform as root on Linux with <code>bubblewrap</code> and <code>openssh-server</code> installed
        (the sandbox runtime), or set <code>COMPUTE_RUNTIME</code> to <code>docker</code> or <code>kubernetes</code>. Otherwise ask the
        platform’s operator. Existing containers and keys are kept.
      </p>
    </div>
  );
}
