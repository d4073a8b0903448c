/* open and its flags (Linux/i386 values). */
#ifndef VMSCOPE_USER_FCNTL_H
#define VMSCOPE_USER_FCNTL_H

#define O_ACCMODE   00000003
#define O_RDONLY    00000000
#define O_WRONLY    00000001
#define O_RDWR      00000002
#define O_CREAT     00000100
#define O_EXCL      00000200
#define O_TRUNC     00001000
#define O_APPEND    00002000
#define O_DIRECTORY 00200000
#define O_NOFOLLOW  00400000

int open(const char *path, int flags, ...);
int creat(const char *path, int mode);

#endif
