/* The terminal (Linux's drivers/char/tty_io.c and n_tty.c, one line): COM1
 * is /dev/ttyS0 and /dev/console, with Linux's line discipline (canonical
 * mode with echo, erase, kill and word erase; raw mode through termios;
 * ^C, ^\ and ^Z to the foreground process group), sessions and controlling
 * terminals as Linux has them, and the window size.
 *
 * The kernel starts pid 1 as the leader of session 1 with /dev/ttyS0 as
 * its controlling terminal (unlike Linux, where /dev/console never is one):
 * an init= shell then has job control. printk writes to the same UART
 * directly. */
#ifndef VMSCOPE_GUEST_TTY_H
#define VMSCOPE_GUEST_TTY_H

#include <kernel.h>
#include <wait.h>

#define NCCS 19
struct termios_abi {
    u32 c_iflag, c_oflag, c_cflag, c_lflag;
    u8 c_line;
    u8 c_cc[NCCS];
};

struct winsize_abi {
    unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel;
};

#define TTY_BUF 4096

struct tty_struct {
    struct termios_abi termios;
    struct winsize_abi winsize;
    int pgrp;                       /* foreground process group (0: none) */
    int session;                    /* the session it controls (0: none) */
    u8 buf[TTY_BUF];                /* input, circular */
    unsigned head, tail;            /* write at head, read at tail */
    u8 eol[TTY_BUF / 8];            /* the byte ends a line (canonical mode) */
    u8 eofmark[TTY_BUF / 8];        /* the byte is a ^D that ended an empty line: read returns 0 */
    unsigned canon_lines;           /* complete lines in buf (canonical mode) */
    unsigned line_start;            /* head when the current line began (erase stops there) */
    unsigned column;                /* output column (echo of erase) */
    wait_queue_head_t read_wait;
};

extern struct tty_struct console_tty;

struct file;
struct task_struct;
/* Boot: the UART's receive interrupt and the line discipline. */
void tty_init(void);
/* A new file on /dev/ttyS0 (init's fds 0-2). */
struct file *tty_open_console(void);
/* Make tty the controlling terminal of the current session leader. */
void tty_set_ctty(struct tty_struct *tty, struct task_struct *leader);

#endif
