/* catalog/mremap-6.0.order in Promela: mremap with a shared-table device, 4.19-6.5: the CPU flush of the old
 * range is under the PTLs but ->invalidate_range for it comes only from invalidate_range_end, after the PTLs
 * drop; a concurrent truncate zaps the new range and frees the frames.
 * kernel 6.0, pages 4 (2 and 3 unmapped), cpus 0, one `secondary sva exact` device (dev0), reuse on (the
 * allocator), bound 4. Expected: assertion stale_secondary_after_flush fails.
 * Its fixed twin mremap-6.6.pml differs in one line (KERNEL), as the .order files do. */
#define NPAGES 4
#define NFRAMES 4
#define NTHREADS 2
#define KERNEL 60
#ifndef BOUND
#define BOUND 4
#endif
#define INITIAL_PRESENT 3        /* pages 0 and 1 present and writable; 2 and 3 not present */
#define INITIAL_FRAMES 65296     /* 0xFF10: page 0 -> frame 0, page 1 -> frame 1, pages 2 and 3 -> NONE */
#define INITIAL_OWNERS 160       /* 0xA0: frames 0, 1 owned by the mm; frames 2, 3 by someone else */
#define INITIAL_REFS 5           /* one reference on frames 0 and 1 */
#include "mm.pml"

#define MREMAP 0
#define TRUNCATE 1

active proctype mremap() {
  d_step { mmapWriter == NOBODY -> mmapWriter = MREMAP }                    /* mmap_write_lock */
  d_step { invalidate_range_start() }                                       /* invalidate_range_start 0 2 */
  d_step { ptl == NOBODY -> ptl = MREMAP }                                  /* ptl_lock */
  d_step { flush_tlb_batched_pending(MREMAP) }                              /* flush_tlb_batched_pending */
  d_step { pte_move(MREMAP, 0, 2, 2); commit(MREMAP) }                      /* pte_move 0 2 2 */
  d_step { flush_tlb(MREMAP, 0, 2) }                                        /* flush_tlb_range 0 2 */
  d_step { ptl = NOBODY; commit(MREMAP) }                                   /* ptl_unlock */
  d_step { invalidate_range_end(0, 2); commit(MREMAP) }                     /* invalidate_range_end 0 2 */
  d_step { mmapWriter = NOBODY; thread_returned(MREMAP); commit(MREMAP) }   /* mmap_write_unlock (returns) */
}

active proctype truncate() {
  d_step { immap == NOBODY -> immap = TRUNCATE }                            /* lock i_mmap */
  d_step { tlb_gather_mmu(TRUNCATE) }                                       /* tlb_gather_mmu */
  d_step { invalidate_range_start() }                                       /* invalidate_range_start 2 4 */
  d_step { ptl == NOBODY -> ptl = TRUNCATE }                                /* ptl_lock */
  d_step { flush_tlb_batched_pending(TRUNCATE) }                            /* flush_tlb_batched_pending */
  d_step { zap_pte_range(TRUNCATE, 2, 4) }                                  /* zap_pte_range 2 4 */
  d_step { ptl = NOBODY; commit(TRUNCATE) }                                 /* ptl_unlock */
  d_step { invalidate_range_end(2, 4); commit(TRUNCATE) }                   /* invalidate_range_end 2 4 */
  d_step { tlb_finish_mmu(TRUNCATE); if :: freed -> commit(TRUNCATE) :: else -> skip fi }  /* tlb_finish_mmu */
  d_step { immap = NOBODY; thread_returned(TRUNCATE); commit(TRUNCATE) }    /* unlock i_mmap (returns) */
}

active proctype dev0() {
end: do
  DEV_ON(0)
  DEV_ON(1)
  DEV_ON(2)
  DEV_ON(3)
  od
}

active proctype alloc() {
end: do
  ALLOC_REUSE
  od
}
