/* cpu-diff: shared declarations of the harness (cpu-diff.c, exec.S) and the
 * form table (forms.c, model.c). */
#ifndef VMSCOPE_TESTS_CPU_DIFF_H
#define VMSCOPE_TESTS_CPU_DIFF_H

#include "guest/rt/rt.h"

enum { R_EAX, R_ECX, R_EDX, R_EBX, R_ESP, R_EBP, R_ESI, R_EDI };

#define FL_CF   0x001u
#define FL_PF   0x004u
#define FL_AF   0x010u
#define FL_ZF   0x040u
#define FL_SF   0x080u
#define FL_DF   0x400u
#define FL_OF   0x800u
#define FL_ALL6 (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)

/* Memory windows. cd_mem: EBX points at its middle for memory forms.
 * cd_stk: ESP starts at CD_STK_TOP in it for every form. cd_str: string
 * forms. The low window (physical 0..CD_LOW_SIZE) serves 16-bit addressing. */
/* The code page and the windows sit at fixed addresses above the image
 * (which is loaded at 1 MiB), so that values the cases leave (pointers,
 * return addresses) do not change when the guest's own code does, and the
 * model: sdm hashes in cpu-diff.model stay valid. */
#define CD_CODE_ADDR 0x400000   /* one page: the template being run */
#define CD_MEM_ADDR  0x401000
#define CD_STK_ADDR  0x402000
#define CD_STR_ADDR  0x403000
#define CD_FX_ADDR   0x404000   /* 512 bytes for FXSAVE/FXRSTOR */
#define CD_MEM_SIZE 512
#define CD_STK_SIZE 512
#define CD_STK_TOP  384
#define CD_STR_SIZE 2048
#define CD_LOW_SIZE 0x10040

/* Layout shared with exec.S. */
struct cd_regs {
    uint32_t r[8];                      /* EAX ECX EDX EBX ESP EBP ESI EDI */
    uint32_t eflags;
    uint32_t ds, es, fs, gs, ss;        /* selectors, zero-extended */
};
extern struct cd_regs cd_in, cd_out;

/* Setup bits of a form: which windows it may touch, which segments. */
#define S_MEM   0x001   /* fill and hash cd_mem; EBX = its middle */
#define S_STK   0x002   /* fill and hash the stack window */
#define S_STR   0x004   /* string forms: ESI, EDI, ECX, DF, cd_str */
#define S_STR16 0x008   /* 16-bit-address string forms in the low window */
#define S_LOW   0x010   /* fill the low window before the form, hash it after */
#define S_SEG   0x020   /* ES, FS, GS = 0x30 (base 0x20) */
#define S_DS30  0x040   /* DS = 0x30 (base 0x20); with S_LIM: DS = 0x38 */
#define S_LIM   0x080   /* with S_STR: ES = 0x38 (base cd_str, limit 1023) */

/* Model forms. MODEL_CPU: the modelled CPU lacks what QEMU's and Bochs's
 * Pentium II have (x87, MMX, FXSR, SEP...): the line gives the outcome in
 * words. MODEL_SDM: QEMU departs from the SDM (and from Bochs): the line
 * gives the outcome and the hash (32 cases), checked under vmscope and
 * Bochs only. MODEL_CPU forms run 8 cases. */
#define MODEL_CPU 1
#define MODEL_SDM 2

struct kase;
typedef void (*cd_fix_fn)(struct kase *k);

/* One instruction form: a template of bytes with placeholders. */
struct form {
    const char *name;           /* unique, no spaces: "add.rm32,r32" */
    const char *tmpl;           /* template as written: "01 c8", "83 c6 ib" */
    uint8_t code[40];           /* template bytes, placeholders zero */
    uint8_t len;                /* bytes in code[] */
    uint8_t imm_size;           /* 0, 1, 2, 4: random immediate per case */
    int8_t imm_off;             /* its offset in code[] */
    int8_t abs_off;             /* "@": absolute address of the template's end, or -1 */
    int8_t mem_off;             /* "&": absolute address of cd_mem's middle, or -1 */
    int8_t rb_off;              /* "rb": random byte per case, or -1 */
    uint32_t fdef;              /* flags the SDM defines (before the fixup's say) */
    uint32_t setup;             /* S_* */
    uint32_t cr0_set;           /* CR0 bits set while the form runs (EM, TS, MP) */
    uint8_t w;                  /* operand width, for fixups */
    uint8_t aux, aux2;          /* fixup parameters (count source, operation...) */
    uint8_t model;              /* MODEL_*: printed as a model: line, 8 cases */
    uint8_t allflags_only;      /* 1: only with allflags=1 (undefined results) */
    cd_fix_fn fix;              /* adjusts a case's inputs; may narrow fdef/undef */
};

/* One case: the inputs, and what the fixup decided is defined. */
struct kase {
    const struct form *f;
    struct cd_regs in;
    uint32_t imm;               /* the immediate placed at imm_off */
    uint8_t rb;                 /* the byte placed at rb_off */
    uint32_t fdef;              /* defined arithmetic flags of this case */
    uint32_t undef;             /* bit r: register r's result is undefined */
};

extern struct form cd_forms[];
extern int cd_allflags;
extern uint8_t *const cd_mem, *const cd_stk, *const cd_str;

/* rt_try's contract (guest/rt/rt.h), with the harness's own gates. */
int cd_try(void (*fn)(void *), void *arg, struct rt_fault *f);
uint32_t cd_rand(void);
uint32_t cd_value(void);
uint32_t cd_code_end(const struct form *f);
/* Build the form table; returns the number of forms. */
unsigned cd_build_forms(void);
/* Print the model: lines for CPUID, RDTSC and the MSRs. */
void cd_model_info(void);

#endif
