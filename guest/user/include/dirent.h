/* Directory entries as getdents64 gives them. */
#ifndef VMSCOPE_USER_DIRENT_H
#define VMSCOPE_USER_DIRENT_H

struct linux_dirent64 {
    unsigned long long d_ino;
    long long d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
} __attribute__((packed));

#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10

int getdents64(int fd, void *buf, unsigned count);

#endif
