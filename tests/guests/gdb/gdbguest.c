/* The GDB stub's test guest (tests/emu/gdb_watch.py, gdb_test.py's
 * register check): one function, accesses(), whose instructions are known
 * by their labels, so a test can say at which instruction a watchpoint
 * must stop (the one after the access) and which registers hold what.
 *
 *   accesses:       reads and writes of other variables, a write to
 *                   r_target (a read watchpoint must not stop there) and a
 *                   read of w_target (nor a write watchpoint there); then
 *     after_w:      right after the store of 1 to w_target
 *     after_r:      right after a load of r_target
 *     after_a_read: right after a load of a_target
 *     after_a_write: right after the store of 2 to a_target
 *     regs_here:    EAX..EDI hold 12345678 9abcdef0 0badf00d feedface
 *                   01010101 02020202; accesses() returns ECX
 * main returns 0 when ECX was left alone, else ECX & 0x3F (a debugger
 * that sets $ecx = 42 at regs_here makes vmscope exit with status 85). */
#include "guest/rt/rt.h"

volatile uint32_t w_target, r_target, a_target, other;
uint32_t accesses(void);

__asm__(".text\n"
        ".globl accesses\n"
        "accesses:\n"
        "  pushl %ebx\n"
        "  pushl %esi\n"
        "  pushl %edi\n"
        "  movl other, %eax\n"
        "  movl $3, other\n"
        "  movl $7, r_target\n"
        "  movl w_target, %eax\n"
        "  movl $1, w_target\n"
        ".globl after_w\n"
        "after_w:\n"
        "  movl r_target, %eax\n"
        ".globl after_r\n"
        "after_r:\n"
        "  movl a_target, %eax\n"
        ".globl after_a_read\n"
        "after_a_read:\n"
        "  movl $2, a_target\n"
        ".globl after_a_write\n"
        "after_a_write:\n"
        "  movl $0x12345678, %eax\n"
        "  movl $0x9abcdef0, %ebx\n"
        "  movl $0x0badf00d, %ecx\n"
        "  movl $0xfeedface, %edx\n"
        "  movl $0x01010101, %esi\n"
        "  movl $0x02020202, %edi\n"
        ".globl regs_here\n"
        "regs_here:\n"
        "  movl %ecx, %eax\n"
        "  popl %edi\n"
        "  popl %esi\n"
        "  popl %ebx\n"
        "  ret\n");

int main(struct mb_info *mbi)
{
    (void)mbi;
    rt_printf("gdb guest\n");
    uint32_t v = accesses();
    rt_printf("gdb guest: ECX %08x, w %u r %u a %u\n", v, w_target, r_target, a_target);
    return v == 0x0badf00du ? 0 : (int)(v & 0x3F);
}
