/* vmviz's processes (see vmviz_model.h): the table of them by pid, each
 * one's VMAs (vma-map, vma-unmap) and its pages as the records tell
 * (resident at a frame, swapped out, or gone). Bounded by VV_MAX_PROCS,
 * VV_MAX_VMAS and VV_MAX_PAGES; what passes a bound is counted in the
 * model's `ignored`. Used by vmviz_model.c only. */
#ifndef VMSCOPE_TOOLS_VMVIZ_PROC_H
#define VMSCOPE_TOOLS_VMVIZ_PROC_H

#include "tools/vmviz_model.h"

/* The process PID, or NULL. */
struct vv_proc *vv_proc_find(const struct vv_model *m, uint32_t pid);
/* The process PID, made (born at CYCLE) when first named; NULL for
 * VV_NOPID, past the limit or out of memory. */
struct vv_proc *vv_proc_get(struct vv_model *m, uint32_t pid, uint64_t cycle);
/* Rebuild M's pid index with CAP slots (a power of two). */
bool vv_proc_index(struct vv_model *m, uint32_t cap);
/* Set VPAGE of P (may be NULL) to STATE (enum vv_page) at FRAME. */
void vv_proc_set_page(struct vv_model *m, struct vv_proc *p, uint32_t vpage, unsigned state, uint32_t frame);
/* Forget P's pages in [START, START+PAGES). */
void vv_proc_unmap(struct vv_proc *p, uint32_t start, uint32_t pages);
/* VMAs: add one of TYPE (replacing what it overlaps), remove a range
 * (splitting a VMA it falls inside). */
void vv_proc_vma_add(struct vv_model *m, struct vv_proc *p, uint32_t start, uint32_t pages, uint32_t type);
void vv_proc_vma_remove(struct vv_proc *p, uint32_t start, uint32_t pages);
/* Free P's VMAs and pages (an exit, a pid reused). */
void vv_proc_release(struct vv_proc *p);
/* D becomes a deep copy of S. False when out of memory (D then owns nothing). */
bool vv_proc_copy(struct vv_proc *d, const struct vv_proc *s);

#endif
