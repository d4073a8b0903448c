/* 32-bit paging structures: the bits of page-directory and page-table
 * entries (Intel SDM vol. 3A §4.3, tables 4-4 to 4-6), for everything on the
 * host side that reads or writes them (the walker, --inspect, the MMU tests).
 * The guest kernel, being freestanding, keeps its own. */
#ifndef VMSCOPE_MMU_PTE_H
#define VMSCOPE_MMU_PTE_H

#define PG_P   0x001u   /* present */
#define PG_RW  0x002u   /* writable */
#define PG_US  0x004u   /* user */
#define PG_PWT 0x008u   /* write-through */
#define PG_PCD 0x010u   /* cache disable */
#define PG_A   0x020u   /* accessed */
#define PG_D   0x040u   /* dirty (leaf entries) */
#define PG_PS  0x080u   /* PDE: 4 MiB page; PTE: PAT (reserved on the modelled CPU) */
#define PG_G   0x100u   /* global (leaf entries, with CR4.PGE) */
#define PG_FRAME   0xFFFFF000u  /* frame of a PTE, table of a PDE */
#define PG_FRAME4M 0xFFC00000u  /* frame of a 4 MiB PDE */
/* Reserved bits on the modelled CPU (no PAT, no PSE-36): bits 21:12 of a
 * 4 MiB PDE, bit 7 of a PTE. */
#define PDE4M_RSVD 0x003FF000u
#define PTE_RSVD   PG_PS

#endif
