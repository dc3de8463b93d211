/**
 * Keeps glibc's malloc from handing the memory of streamed bodies back to the kernel chunk after chunk.
 *
 * Node reads every socket into a fresh 64 KiB malloc'd buffer, and the GC frees those buffers in batches
 * (one scavenge per ~32 MiB of "external memory pressure"). glibc returns free memory at the top of its heap
 * to the kernel (brk) once more than M_TRIM_THRESHOLD is free there, 128 KiB by default: so every batch
 * shrinks the heap, the next reads grow it again, and every byte the gateway reads lands in a page the kernel
 * must fault in and zero first. Measured on the 2-core VM: ~240 minor faults per MiB relayed (nearly every
 * page) and 3.6 s of kernel CPU per GiB, the gateway's bottleneck (see README.md, "Large bodies").
 *
 * glibc raises M_TRIM_THRESHOLD by itself to twice the size of a freed mmap'd block once such a block
 * (above the current mmap threshold, at most 32 MiB on 64-bit) is freed: mallopt(3), "dynamic mmap
 * threshold". Node has no mallopt, so we allocate one such block and drop it; the next GC frees it and the
 * threshold becomes 62 MiB, above one GC batch of read buffers. Its pages are never touched (no RSS). An
 * operator who set the threshold himself (MALLOC_TRIM_THRESHOLD_, GLIBC_TUNABLES) has turned the dynamic
 * threshold off, and this is then a no-op; on another libc it is a harmless allocation.
 */
const BLOCK_BYTES = 31 * 1024 * 1024; // below glibc's 32 MiB DEFAULT_MMAP_THRESHOLD_MAX, above one GC batch / 2

let done = false;

export function raiseMallocTrimThreshold(): void {
  if (done) return;
  done = true;
  // allocUnsafeSlow: outside Node's 8 KiB pool and not zero-filled, so malloc'd (mmap'd) and never written.
  Buffer.allocUnsafeSlow(BLOCK_BYTES);
}
