/* start_kernel and init (Linux 2.4's init/main.c and setup_arch).
 *
 * Boot: serial console, the Multiboot information copied out of low memory
 * (memory map, modules, command line), paging_init, the allocators (buddy,
 * slab, kmalloc), traps and interrupts, the scheduler, the initrd; then pid
 * 1 is started as a kernel thread and pid 0 becomes the idle loop. pid 1
 * execs /init from the initrd with the command line's option words
 * (key=value, e.g. run=all) as its arguments. */
#include <kernel.h>
#include <blkdev.h>
#include <i387.h>
#include <console.h>
#include <fs.h>
#include <initrd.h>
#include <io.h>
#include <irq.h>
#include <mm.h>
#include <multiboot.h>
#include <sched.h>
#include <tty.h>
#include <signal.h>
#include <random.h>
#include <slab.h>
#include <swap.h>

#define COMMAND_LINE_SIZE 256
#define MAX_INIT_ARGS 16

struct boot_params boot_params;
char saved_command_line[COMMAND_LINE_SIZE];
static char init_args[COMMAND_LINE_SIZE];      /* the words after "--": init='s arguments */
extern char _end[];

void protection_map_init(void);
void fork_init(void);

/* Copy what we need out of the Multiboot information, which lives in low
 * memory that mem_init() will hand to the buddy allocator. */
static void setup_arch(u32 magic, u32 mbi_phys)
{
    if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
        panic("setup_arch: not booted by a Multiboot loader (magic %08x)", magic);
    const struct multiboot_info *mbi = __va(mbi_phys);
    if (!(mbi->flags & MBI_FLAG_MMAP))
        panic("setup_arch: the boot loader gave no memory map");
    for (u32 off = 0; off < mbi->mmap_length && boot_params.nr_map < E820MAX;) {
        const struct multiboot_mmap *e = __va(mbi->mmap_addr + off);
        boot_params.map[boot_params.nr_map].addr = ((u64)e->base_hi << 32) | e->base_lo;
        boot_params.map[boot_params.nr_map].size = ((u64)e->len_hi << 32) | e->len_lo;
        boot_params.map[boot_params.nr_map].type = e->type;
        boot_params.nr_map++;
        off += e->size + 4;
    }
    if ((mbi->flags & MBI_FLAG_MODS) && mbi->mods_count) {
        const struct multiboot_mod *m = __va(mbi->mods_addr);
        for (u32 i = 0; i < mbi->mods_count && i < MAX_MODULES; i++) {
            boot_params.mods[i].start = m[i].mod_start;
            boot_params.mods[i].end = m[i].mod_end;
            boot_params.nr_mods++;
        }
    }
    boot_params.kernel_end = __pa(_end);
    /* Keep only option words (key=value): the first word is the kernel's
     * file name under QEMU and vmscope, and loaders differ there. */
    saved_command_line[0] = 0;
    if (mbi->flags & MBI_FLAG_CMDLINE) {
        const char *s = __va(mbi->cmdline);
        size_t len = 0;
        while (*s) {
            while (*s == ' ')
                s++;
            const char *w = s;
            while (*s && *s != ' ')
                s++;
            size_t n = s - w;
            if (n == 2 && w[0] == '-' && w[1] == '-') {
                while (*s == ' ')
                    s++;
                strlcpy(init_args, s, sizeof init_args);
                break;
            }
            int has_eq = 0;
            for (size_t i = 0; i < n; i++)
                has_eq |= w[i] == '=';
            if (!has_eq)
                continue;
            if (len + n + 2 > COMMAND_LINE_SIZE)
                break;
            if (len)
                saved_command_line[len++] = ' ';
            memcpy(saved_command_line + len, w, n);
            len += n;
            saved_command_line[len] = 0;
        }
    }
}

const char *cmdline_get(const char *key, char *buf, size_t len)
{
    size_t klen = strlen(key);
    for (const char *w = saved_command_line; *w;) {
        const char *end = strchr(w, ' ');
        size_t n = end ? (size_t)(end - w) : strlen(w);
        if (n > klen && w[klen] == '=' && !strncmp(w, key, klen)) {
            size_t v = min(n - klen - 1, len - 1);
            memcpy(buf, w + klen + 1, v);
            buf[v] = 0;
            return buf;
        }
        w += n;
        while (*w == ' ')
            w++;
    }
    return NULL;
}

/* Print the boot loader's memory map, as Linux prints the e820 map. */
static void print_memory_map(void)
{
    static const char *const types[] = { "?", "usable", "reserved", "ACPI data", "ACPI NVS", "bad" };
    printk("BIOS-provided physical RAM map:\n");
    for (int i = 0; i < boot_params.nr_map; i++) {
        u64 a = boot_params.map[i].addr, e = a + boot_params.map[i].size;
        u32 t = boot_params.map[i].type;
        printk(" BIOS-e820: %08x%08x - %08x%08x (%s)\n", (u32)(a >> 32), (u32)a,
               (u32)(e >> 32), (u32)e, t < ARRAY_SIZE(types) ? types[t] : "?");
    }
}

/* Split s at spaces into argv from argv[argc] on (at most MAX_INIT_ARGS). */
static int split_words(char *s, char **argv, int argc)
{
    for (char *p = s; *p && argc <= MAX_INIT_ARGS;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        argv[argc++] = p;
        while (*p && *p != ' ')
            p++;
        if (*p)
            *p++ = 0;
    }
    argv[argc] = NULL;
    return argc;
}

/* pid 1: mount the root, then exec init in user mode; never returns. The
 * test runner (/sbin/init, else /init) gets the command line's option
 * words as arguments; init=PATH runs PATH with the words after "--". */
static int init(void *unused)
{
    static char args[COMMAND_LINE_SIZE], init_path[COMMAND_LINE_SIZE];
    static char *const envp[] = { "HOME=/", "TERM=linux", NULL };
    char *argv[MAX_INIT_ARGS + 2];
    int argc = 0;
    if (cmdline_get("init", init_path, sizeof init_path)) {
        init_is_user_program = 1;
        argv[argc++] = init_path;
        strlcpy(args, init_args, sizeof args);
    } else {
        argv[argc++] = "init";
        strlcpy(args, saved_command_line, sizeof args);
    }
    split_words(args, argv, argc);
    /* the disk: sleeping for it needs a process, so pid 1 probes it, swaps
     * to its first 0x82 partition and mounts its first 0x83 as the root */
    if (ide_init() && check_partition()) {
        int swap = find_partition(0x82);
        if (swap)
            swapon_partition(swap, hd_part[swap].start_sect, hd_part[swap].nr_sects);
        int root = find_partition(0x83);
        if (root)
            mount_root(hd_part[root].start_sect, hd_part[root].nr_sects);
    }
    if (!root_sb && !(boot_params.nr_mods && initrd_mount_root()))
        panic("VFS: Unable to mount root fs (no ext2 partition, no initrd)");
    flusher_init();
    devfs_init();
    proc_init();
    /* pid 1 leads session 1, and /dev/ttyS0 on fds 0, 1 and 2 is its
     * controlling terminal (unlike Linux's /dev/console: an init= shell
     * then has job control) */
    struct task_struct *me = current;
    me->leader = 1;
    me->session = me->pgrp = me->pid;
    if (copy_sighand(me, NULL))
        panic("init: no memory for its signal state");
    me->files = dup_files(NULL);
    struct file *console = tty_open_console();
    if (!me->files || !console)
        panic("init: no memory for the console's file");
    for (int fd = 0; fd < 3; fd++) {
        me->files->fd[fd] = console;
        console->f_count += fd > 0;
    }
    tty_set_ctty(&console_tty, me);
    struct pt_regs *regs = task_pt_regs(me);
    long err = -ENOENT;
    if (init_is_user_program) {
        err = do_execve(argv[0], argv, envp, 1, regs);
        if (err)
            panic("init=%s: cannot run it (error %ld)", argv[0], err);
    } else {
        static const char *const inits[] = { "/sbin/init", "/init" };
        for (unsigned i = 0; i < ARRAY_SIZE(inits) && err; i++)
            err = do_execve(inits[i], argv, envp, 1, regs);
        if (err)
            panic("No init found (tried /sbin/init and /init: error %ld)", err);
    }
    ret_to_user(regs);
}

/* C entry from head.S with paging on and the idle task's stack; magic and
 * mbi_phys are the Multiboot registers. Never returns (becomes the idle loop). */
void start_kernel(u32 magic, u32 mbi_phys)
{
    serial_init();
    printk("vmscope guest kernel: Linux 2.4-style memory management, i686\n");
    setup_arch(magic, mbi_phys);
    print_memory_map();
    printk("Kernel command line: %s\n", saved_command_line);
    paging_init();
    protection_map_init();
    trap_init();
    i387_init();
    init_IRQ();
    rand_initialize();
    sched_init();
    mem_init();
    kmem_cache_init();
    kmem_cache_sizes_init();
    fork_init();
    reclaim_policy_init();
    files_init();
    inode_init(get_cmos_time());
    if (boot_params.nr_mods) {
        int n = initrd_init(__va(boot_params.mods[0].start), __va(boot_params.mods[0].end));
        printk("initrd: %d files, %lu bytes\n", n, boot_params.mods[0].end - boot_params.mods[0].start);
    }
    time_init();
    tty_init();
    child_reaper = NULL;
    int pid = kernel_thread(init, NULL, "init");
    if (pid != 1)
        panic("start_kernel: init got pid %d", pid);
    child_reaper = list_entry(init_task.tasks.next, struct task_struct, tasks);
    kswapd_init();
    sti();
    cpu_idle();
}
