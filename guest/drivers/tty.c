/* The terminal on COM1 (see include/tty.h): the UART's receive interrupt,
 * the N_TTY line discipline, sessions, job control and the tty ioctls.
 *
 * Input: each byte from the UART goes through the input flags (ISTRIP,
 * IGNCR, ICRNL, INLCR), the signal characters (ISIG), then, in canonical
 * mode, line editing (ERASE, WERASE, KILL, EOF) with echo; a read returns
 * at most one line. In raw mode a read waits for VMIN bytes, or VTIME
 * tenths of a second after the first. Output goes through OPOST/ONLCR to
 * the UART, polled. */
#include <kernel.h>
#include <fs.h>
#include <io.h>
#include <irq.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <tty.h>
#include <uaccess.h>

#define COM1 0x3F8
#define UART_IRQ 4
#define UART_LSR_DR 0x01
#define UART_LSR_THRE 0x20

/* termios flags (Linux's values, octal as in <asm/termbits.h>) */
#define ISTRIP  0000040
#define INLCR   0000100
#define IGNCR   0000200
#define ICRNL   0000400
#define IXON    0002000
#define OPOST   0000001
#define ONLCR   0000004
#define OCRNL   0000010
#define ISIG    0000001
#define ICANON  0000002
#define ECHO    0000010
#define ECHOE   0000020
#define ECHOK   0000040
#define ECHONL  0000100
#define NOFLSH  0000200
#define TOSTOP  0000400
#define ECHOCTL 0001000
#define ECHOKE  0004000
#define IEXTEN  0100000
#define B38400  0000017
#define CS8     0000060
#define CREAD   0000200
#define HUPCL   0002000

enum { VINTR, VQUIT, VERASE, VKILL, VEOF, VTIME, VMIN, VSWTC, VSTART, VSTOP, VSUSP, VEOL, VREPRINT,
       VDISCARD, VWERASE, VLNEXT, VEOL2 };

/* ioctl numbers (asm-generic/ioctls.h) */
#define TCGETS     0x5401
#define TCSETS     0x5402
#define TCSETSW    0x5403
#define TCSETSF    0x5404
#define TCSBRK     0x5409
#define TCXONC     0x540A
#define TCFLSH     0x540B
#define TIOCSCTTY  0x540E
#define TIOCGPGRP  0x540F
#define TIOCSPGRP  0x5410
#define TIOCOUTQ   0x5411
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD   0x541B
#define TIOCNOTTY  0x5422
#define TIOCGSID   0x5429
#define FIONBIO    0x5421

struct tty_struct console_tty;

static void uart_putc(u8 c)
{
    while (!(inb(COM1 + 5) & UART_LSR_THRE))
        ;
    outb(COM1, c);
}

/* One output byte through OPOST (interrupts off: keeps lines whole). */
static void tty_put(struct tty_struct *tty, u8 c)
{
    const struct termios_abi *t = &tty->termios;
    if (t->c_oflag & OPOST) {
        if (c == '\n' && (t->c_oflag & ONLCR)) {
            uart_putc('\r');
            tty->column = 0;
        } else if (c == '\r' && (t->c_oflag & OCRNL)) {
            c = '\n';
        }
    }
    uart_putc(c);
    if (c == '\r' || c == '\n')
        tty->column = 0;
    else if (c == '\b')
        tty->column = tty->column ? tty->column - 1 : 0;
    else if (c >= 0x20)
        tty->column++;
}

/* Echo an input byte: control characters as ^X under ECHOCTL. */
static void echo_char(struct tty_struct *tty, u8 c)
{
    if ((tty->termios.c_lflag & ECHOCTL) && c < 0x20 && c != '\n' && c != '\t') {
        tty_put(tty, '^');
        tty_put(tty, c + 0x40);
    } else if ((tty->termios.c_lflag & ECHOCTL) && c == 0x7f) {
        tty_put(tty, '^');
        tty_put(tty, '?');
    } else {
        tty_put(tty, c);
    }
}

static unsigned buf_count(const struct tty_struct *tty) { return (tty->head - tty->tail) % TTY_BUF; }

static void buf_flush(struct tty_struct *tty)
{
    tty->head = tty->tail = tty->line_start = 0;
    tty->canon_lines = 0;
}

/* Remove the last character of the line being edited, with its echo. */
static int erase_one(struct tty_struct *tty)
{
    if (tty->head == tty->line_start)
        return 0;
    tty->head = (tty->head + TTY_BUF - 1) % TTY_BUF;
    u8 c = tty->buf[tty->head];
    if ((tty->termios.c_lflag & ECHO) && (tty->termios.c_lflag & ECHOE)) {
        int w = ((tty->termios.c_lflag & ECHOCTL) && (c < 0x20 || c == 0x7f) && c != '\t') ? 2 : 1;
        for (int i = 0; i < w; i++) {
            tty_put(tty, '\b');
            tty_put(tty, ' ');
            tty_put(tty, '\b');
        }
    }
    return 1;
}

static void set_flag(u8 *map, unsigned i, int v)
{
    if (v)
        map[i / 8] |= (u8)(1 << (i % 8));
    else
        map[i / 8] &= (u8)~(1 << (i % 8));
}

/* Store an input byte (eof: the ^D that ends a line, never read back). */
static void put_input(struct tty_struct *tty, u8 c, int eof)
{
    const struct termios_abi *t = &tty->termios;
    unsigned i = tty->head;
    int canon = t->c_lflag & ICANON;
    int end = canon && (eof || c == '\n' || (c == t->c_cc[VEOL] && c) || (c == t->c_cc[VEOL2] && c));
    if (eof && tty->head != tty->line_start) {
        /* text before the ^D: it becomes the line, ended at its last byte */
        unsigned last = (tty->head + TTY_BUF - 1) % TTY_BUF;
        set_flag(tty->eol, last, 1);
        tty->line_start = tty->head;
        tty->canon_lines++;
        wake_up(&tty->read_wait);
        return;
    }
    tty->buf[i] = c;
    set_flag(tty->eol, i, end);
    set_flag(tty->eofmark, i, eof);
    tty->head = (i + 1) % TTY_BUF;
    if (!canon || end) {
        tty->line_start = tty->head;
        if (end)
            tty->canon_lines++;
    }
    wake_up(&tty->read_wait);
}

static void isig(struct tty_struct *tty, int sig, u8 c)
{
    if (!(tty->termios.c_lflag & NOFLSH))
        buf_flush(tty);
    if (tty->termios.c_lflag & ECHO)
        echo_char(tty, c);
    if (tty->pgrp > 0)
        kill_pg(tty->pgrp, sig, 1);
    wake_up(&tty->read_wait);
}

/* One byte from the line (interrupt context). */
static void n_tty_receive(struct tty_struct *tty, u8 c)
{
    const struct termios_abi *t = &tty->termios;
    if (t->c_iflag & ISTRIP)
        c &= 0x7f;
    if (c == '\r') {
        if (t->c_iflag & IGNCR)
            return;
        if (t->c_iflag & ICRNL)
            c = '\n';
    } else if (c == '\n' && (t->c_iflag & INLCR)) {
        c = '\r';
    }
    if (t->c_lflag & ISIG) {
        if (c == t->c_cc[VINTR] && c) { isig(tty, SIGINT, c); return; }
        if (c == t->c_cc[VQUIT] && c) { isig(tty, SIGQUIT, c); return; }
        if (c == t->c_cc[VSUSP] && c) { isig(tty, SIGTSTP, c); return; }
    }
    if (t->c_lflag & ICANON) {
        if (c == t->c_cc[VERASE] && c) {
            erase_one(tty);
            return;
        }
        if (c == t->c_cc[VWERASE] && c && (t->c_lflag & IEXTEN)) {
            while (tty->head != tty->line_start && tty->buf[(tty->head + TTY_BUF - 1) % TTY_BUF] == ' ')
                erase_one(tty);
            while (tty->head != tty->line_start && tty->buf[(tty->head + TTY_BUF - 1) % TTY_BUF] != ' ')
                erase_one(tty);
            return;
        }
        if (c == t->c_cc[VKILL] && c) {
            if ((t->c_lflag & ECHOKE) && (t->c_lflag & ECHOE)) {
                while (erase_one(tty))
                    ;
            } else {
                tty->head = tty->line_start;
                if (t->c_lflag & ECHO) {
                    echo_char(tty, c);
                    if (t->c_lflag & ECHOK)
                        tty_put(tty, '\n');
                }
            }
            return;
        }
        if (c == t->c_cc[VEOF] && c) {
            if (buf_count(tty) >= TTY_BUF - 1)
                return;
            /* the line so far is readable without the ^D; alone, the ^D is an EOF mark */
            put_input(tty, c, 1);
            return;
        }
    }
    if (buf_count(tty) >= TTY_BUF - 1)
        return;                         /* full: dropped, as Linux drops past 4095 */
    if (t->c_lflag & ECHO)
        echo_char(tty, c);
    else if (c == '\n' && (t->c_lflag & ECHONL) && (t->c_lflag & ICANON))
        tty_put(tty, '\n');
    put_input(tty, c, 0);
}

static void uart_intr(unsigned irq, struct pt_regs *regs)
{
    while (inb(COM1 + 5) & UART_LSR_DR)
        n_tty_receive(&console_tty, inb(COM1));
}

/* Job control: a background process reading (SIGTTIN) or writing under
 * TOSTOP (SIGTTOU) its controlling terminal stops its group. 0 to go on. */
static int tty_check_bg(struct tty_struct *tty, int sig)
{
    struct task_struct *t = current;
    if (t->tty != tty || !tty->pgrp || t->pgrp == tty->pgrp)
        return 0;
    if (sig_ignored(t, sig) || (t->blocked & sigmask(sig)))
        return sig == SIGTTIN ? -EIO : 0;
    kill_pg(t->pgrp, sig, 1);
    return -ERESTARTSYS;
}

static int readable(struct tty_struct *tty)
{
    if (tty->termios.c_lflag & ICANON)
        return tty->canon_lines > 0;
    return buf_count(tty) > 0;
}

static int test_flag(const u8 *map, unsigned i) { return (map[i / 8] >> (i % 8)) & 1; }

/* Take up to n bytes of input into kbuf (interrupts off): in canonical mode
 * at most the rest of one line; *eof when the line was an EOF mark (^D on
 * an empty line), *line_end when a whole line was taken. */
static unsigned take_input(struct tty_struct *tty, char *kbuf, unsigned n, int canon, int *eof, int *line_end)
{
    unsigned got = 0;
    while (got < n && buf_count(tty) && (!canon || tty->canon_lines)) {
        unsigned i = tty->tail;
        u8 c = tty->buf[i];
        int end = canon && test_flag(tty->eol, i), mark = canon && test_flag(tty->eofmark, i);
        tty->tail = (i + 1) % TTY_BUF;
        if (!mark)
            kbuf[got++] = (char)c;
        if (end) {
            tty->canon_lines--;
            *eof = mark;
            *line_end = 1;
            break;
        }
    }
    return got;
}

static long tty_read(struct file *file, char *ubuf, unsigned long count, long long *pos)
{
    struct tty_struct *tty = &console_tty;
    int err = tty_check_bg(tty, SIGTTIN);
    if (err)
        return err;
    if (!count)
        return 0;
    unsigned long done = 0, until = 0;
    char kbuf[64];
    for (;;) {
        const struct termios_abi *t = &tty->termios;
        int canon = t->c_lflag & ICANON;
        unsigned vmin = t->c_cc[VMIN], vtime = t->c_cc[VTIME];
        cli();
        int eof = 0, line_end = 0;
        while (done < count && !line_end) {
            unsigned n = take_input(tty, kbuf, (unsigned)min(count - done, sizeof kbuf), canon, &eof, &line_end);
            if (!n)
                break;
            sti();
            if (copy_to_user(ubuf + done, kbuf, n))
                return done ? (long)done : -EFAULT;
            done += n;
            cli();
        }
        if (canon ? (done || eof) : (done >= count || (vmin ? done >= vmin : done > 0))) {
            sti();
            return (long)done;
        }
        if (!canon && !vmin && vtime && !until)
            until = jiffies + vtime * HZ / 10;
        else if (!canon && vmin && vtime && done && !until)
            until = jiffies + vtime * HZ / 10;  /* the inter-byte timer starts with the first byte */
        if ((!canon && !vmin && !vtime) || (until && (long)(jiffies - until) >= 0)) {
            sti();
            return (long)done;
        }
        if (file->f_flags & O_NONBLOCK) {
            sti();
            return done ? (long)done : -EAGAIN;
        }
        if (signal_pending(current)) {
            sti();
            return done ? (long)done : -ERESTARTSYS;
        }
        wait_queue_t w = { .task = current };
        add_wait_queue(&tty->read_wait, &w);
        current->state = TASK_INTERRUPTIBLE;
        current->timeout = until;
        if (!readable(tty))
            schedule();
        current->state = TASK_RUNNING;
        current->timeout = 0;
        remove_wait_queue(&tty->read_wait, &w);
        sti();
    }
}

static long tty_write(struct file *file, const char *ubuf, unsigned long count, long long *pos)
{
    struct tty_struct *tty = &console_tty;
    if (tty->termios.c_lflag & TOSTOP) {
        int err = tty_check_bg(tty, SIGTTOU);
        if (err)
            return err;
    }
    char kbuf[256];
    for (unsigned long done = 0; done < count;) {
        unsigned long n = min(count - done, sizeof kbuf);
        if (copy_from_user(kbuf, ubuf + done, n))
            return done ? (long)done : -EFAULT;
        u32 flags;
        local_irq_save(flags);
        for (unsigned long i = 0; i < n; i++)
            tty_put(tty, (u8)kbuf[i]);
        local_irq_restore(flags);
        done += n;
    }
    return (long)count;
}

static unsigned tty_poll(struct file *file, struct poll_table *pt)
{
    struct tty_struct *tty = &console_tty;
    poll_wait(file, &tty->read_wait, pt);
    return (readable(tty) ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM;
}

void tty_set_ctty(struct tty_struct *tty, struct task_struct *leader)
{
    tty->session = leader->session;
    tty->pgrp = leader->pgrp;
    leader->tty = tty;
}

void disassociate_ctty(int on_exit)
{
    struct task_struct *me = current, *p;
    struct tty_struct *tty = me->tty;
    if (!tty)
        return;
    if (tty->pgrp > 0) {
        kill_pg(tty->pgrp, SIGHUP, on_exit);
        if (!on_exit)
            kill_pg(tty->pgrp, SIGCONT, on_exit);
    }
    tty->session = 0;
    tty->pgrp = 0;
    for_each_task(p)
        if (p->session == me->session)
            p->tty = NULL;
}

/* Does a process group of our session with pgid exist? */
/* TIOCSPGRP's check, as Linux's: -ESRCH when no task has the number as its
 * process group or pid, -EPERM when the group is not in session. */
static int check_pgrp(int pgrp, int session)
{
    struct task_struct *p;
    int known = 0;
    for_each_task(p) {
        if (p->state == TASK_ZOMBIE)
            continue;
        if (p->pgrp == pgrp && p->session == session)
            return 0;
        if (p->pgrp == pgrp || p->pid == pgrp)
            known = 1;
    }
    return known ? -EPERM : -ESRCH;
}

static long tty_ioctl(struct file *file, unsigned cmd, unsigned long arg)
{
    struct tty_struct *tty = &console_tty;
    struct task_struct *me = current;
    switch (cmd) {
    case TCGETS:
        return copy_to_user((void *)arg, &tty->termios, sizeof tty->termios) ? -EFAULT : 0;
    case TCSETS:
    case TCSETSW:
    case TCSETSF: {
        struct termios_abi t;
        if (copy_from_user(&t, (void *)arg, sizeof t))
            return -EFAULT;
        int err = tty_check_bg(tty, SIGTTOU);
        if (err)
            return err;
        u32 flags;
        local_irq_save(flags);
        if (cmd == TCSETSF)
            buf_flush(tty);
        int was_canon = tty->termios.c_lflag & ICANON;
        tty->termios = t;
        if (was_canon != (int)(t.c_lflag & ICANON)) {
            /* raw: everything is readable; canonical: what is there is no line yet */
            tty->line_start = tty->head;
            tty->canon_lines = 0;
            for (unsigned i = tty->tail; i != tty->head; i = (i + 1) % TTY_BUF) {
                set_flag(tty->eol, i, 0);
                set_flag(tty->eofmark, i, 0);
            }
        }
        local_irq_restore(flags);
        wake_up(&tty->read_wait);
        return 0;
    }
    case TIOCGWINSZ:
        return copy_to_user((void *)arg, &tty->winsize, sizeof tty->winsize) ? -EFAULT : 0;
    case TIOCSWINSZ: {
        struct winsize_abi w;
        if (copy_from_user(&w, (void *)arg, sizeof w))
            return -EFAULT;
        if (memcmp(&w, &tty->winsize, sizeof w)) {
            tty->winsize = w;
            if (tty->pgrp > 0)
                kill_pg(tty->pgrp, SIGWINCH, 1);
        }
        return 0;
    }
    case TIOCGPGRP:
        if (me->tty != tty)
            return -ENOTTY;
        return put_user_u32(tty->pgrp, (void *)arg);
    case TIOCSPGRP: {
        if (me->tty != tty || tty->session != me->session)
            return -ENOTTY;
        int err = tty_check_bg(tty, SIGTTOU);
        if (err)
            return err;
        unsigned long pgrp;
        if (get_user_u32(&pgrp, (void *)arg))
            return -EFAULT;
        if ((int)pgrp < 0)
            return -EINVAL;
        err = check_pgrp((int)pgrp, me->session);
        if (err)
            return err;
        tty->pgrp = (int)pgrp;
        return 0;
    }
    case TIOCGSID:
        if (me->tty != tty || !tty->session)
            return -ENOTTY;
        return put_user_u32(tty->session, (void *)arg);
    case TIOCSCTTY:
        if (me->leader && me->session == tty->session && me->tty == tty)
            return 0;
        if (!me->leader || me->tty)
            return -EPERM;
        if (tty->session && !(arg == 1))
            return -EPERM;
        if (tty->session) {             /* stealing it (root, arg 1) */
            struct task_struct *p;
            for_each_task(p)
                if (p->tty == tty)
                    p->tty = NULL;
        }
        tty_set_ctty(tty, me);
        return 0;
    case TIOCNOTTY:
        if (me->tty != tty)
            return -ENOTTY;
        if (me->leader)
            disassociate_ctty(0);
        me->tty = NULL;
        return 0;
    case FIONREAD: {
        u32 flags;
        local_irq_save(flags);
        unsigned n = buf_count(tty);
        local_irq_restore(flags);
        return put_user_u32(n, (void *)arg);
    }
    case TIOCOUTQ:
        return put_user_u32(0, (void *)arg);
    case TCFLSH: {
        u32 flags;
        local_irq_save(flags);
        if (arg == 0 || arg == 2)
            buf_flush(tty);
        local_irq_restore(flags);
        return arg > 2 ? -EINVAL : 0;
    }
    case TCSBRK:
    case TCXONC:
        return 0;
    default:
        return -ENOTTY;
    }
}

/* Opening the terminal by name: a session leader without one acquires
 * it (unless O_NOCTTY), as Linux does. */
static int tty_open(struct inode *inode, struct file *file)
{
    struct task_struct *me = current;
    if (!(file->f_flags & O_NOCTTY) && me->leader && !me->tty && !console_tty.session)
        tty_set_ctty(&console_tty, me);
    return 0;
}

struct file_operations tty_fops = {
    .read = tty_read,
    .write = tty_write,
    .ioctl = tty_ioctl,
    .poll = tty_poll,
    .open = tty_open,
};

void tty_init(void)
{
    struct tty_struct *tty = &console_tty;
    tty->termios.c_iflag = ICRNL | IXON;
    tty->termios.c_oflag = OPOST | ONLCR;
    tty->termios.c_cflag = B38400 | CS8 | CREAD | HUPCL;
    tty->termios.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
    static const u8 cc[NCCS] = { 3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17,
                                 0x16, 0 };
    memcpy(tty->termios.c_cc, cc, sizeof cc);
    tty->winsize = (struct winsize_abi){ 24, 80, 0, 0 };
    init_waitqueue_head(&tty->read_wait);
    request_irq(UART_IRQ, uart_intr);
    outb(COM1 + 1, 0x01);               /* IER: received data available */
    outb(COM1 + 4, 0x0B);               /* MCR: DTR, RTS, OUT2 (the IRQ line's gate on a PC) */
}

struct file *tty_open_console(void)
{
    struct file *f = get_empty_filp();
    if (!f)
        return NULL;
    static struct inode ttys0_inode = { .i_count = 1, .i_mode = S_IFCHR | 0660, .i_nlink = 1,
                                        .i_rdev = (4 << 8) | 64, .i_state = I_STATIC,
                                        .i_mapping = &ttys0_inode.i_data };
    f->f_inode = igrab(&ttys0_inode);
    f->f_op = &tty_fops;
    f->f_flags = O_RDWR;
    return f;
}
