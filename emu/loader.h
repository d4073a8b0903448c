/* Multiboot v1 loader (Multiboot Specification 0.6.96, §3.1 header, §3.2
 * machine state, §3.3 boot information). Loads an ELF32 kernel (or one with
 * the a.out-kludge address fields) and its modules into guest RAM, builds the
 * information structure as QEMU 7.2 does for the same RAM size, and leaves
 * the CPU in the Multiboot entry state. */
#ifndef VMSCOPE_EMU_LOADER_H
#define VMSCOPE_EMU_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;

/* Guest-physical layout the loader uses. The information area holds the
 * multiboot_info and the memory map; the module list and the strings sit
 * in a block after the kernel, and the modules after that, as under QEMU. */
#define MB_INFO_ADDR  0x9000u
#define MB_INFO_END   0xA000u
#define MB_BOOT_MAGIC 0x2BADB002u
#define MB_HDR_MAGIC  0x1BADB002u

struct mb_image {
    uint32_t entry;         /* physical entry point */
    uint32_t load_lo;       /* lowest physical byte loaded */
    uint32_t load_hi;       /* one past the highest byte (incl. BSS) */
};

/* Load the kernel DISPLAY_NAME read from PATH, the modules and the boot
 * information, then set the CPU's entry state. On failure writes one line
 * naming the file and the reason to ERR and returns false; RAM may be
 * partly written but the machine is not run. */
bool loader_boot(struct machine *m, const char *path, const char *display_name,
                 const char *cmdline, const char *const *modules, unsigned nmodules,
                 char *err, unsigned errlen);

/* Parse and load an in-memory ELF/Multiboot image (for tests and fuzzing).
 * NAME is used in messages only. */
bool loader_load_image(struct machine *m, const char *name, const uint8_t *buf, size_t len,
                       struct mb_image *img, char *err, unsigned errlen);

#endif
