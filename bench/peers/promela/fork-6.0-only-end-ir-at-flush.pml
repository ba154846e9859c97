/* catalog/fork-6.0-only-end-ir-at-flush.order in Promela: the seed's fork conversion done right (one IR next to flush_tlb_mm).
 * kernel 6.0, pages 2, cpus 0, one `secondary sva exact` device (dev0), reuse on (the allocator), bound 4.
 * Expected: no assertion fails within the bound. Differs from fork-6.0-only-end-no-ir.pml in one line. */
#define NPAGES 2
#define NFRAMES 2
#define NTHREADS 1
#define KERNEL 60
#ifndef BOUND
#define BOUND 4
#endif
#define INITIAL_PRESENT 3        /* pages 0 and 1 present and writable */
#define INITIAL_FRAMES 16        /* page 0 -> frame 0, page 1 -> frame 1 */
#define INITIAL_OWNERS 0         /* both frames owned by the mm */
#define INITIAL_REFS 5           /* one reference each */
#include "mm.pml"

#define FORK 0
active proctype fork() {
  d_step { mmapWriter == NOBODY -> mmapWriter = FORK }                  /* mmap_write_lock */
  d_step { invalidate_range_start() }                                   /* invalidate_range_start 0 2 */
  d_step { ptl == NOBODY -> ptl = FORK }                                /* ptl_lock */
  d_step { pte_wrprotect(FORK, RANGE(0, 2)) }                           /* pte_wrprotect 0 2 */
  d_step { ptl = NOBODY; commit(FORK) }                                 /* ptl_unlock */
  d_step { invalidate_range_only_end(); commit(FORK) }                  /* invalidate_range_only_end 0 2 */
  d_step { flush_tlb(FORK, 0, NPAGES) }                                 /* flush_tlb_mm */
  d_step { invalidate_secondary_tlbs(0, NPAGES) }                      /* invalidate_range 0 ~0 (exact: every page) */
  d_step { mmapWriter = NOBODY; thread_returned(FORK); commit(FORK) }   /* mmap_write_unlock (returns) */
}

active proctype dev0() {
end: do
  DEV_ON(0)
  DEV_ON(1)
  od
}

active proctype alloc() {
end: do
  ALLOC_REUSE
  od
}
