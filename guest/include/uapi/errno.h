/* Error numbers (Linux values), shared by the kernel and the user libc. */
#ifndef VMSCOPE_GUEST_UAPI_ERRNO_H
#define VMSCOPE_GUEST_UAPI_ERRNO_H

#define EPERM    1
#define ENOENT   2
#define ESRCH    3
#define EINTR    4
#define EIO      5
#define E2BIG    7
#define ENOEXEC  8
#define ECHILD  10
#define EAGAIN  11
#define ENOMEM  12
#define EFAULT  14
#define EBUSY   16
#define EEXIST  17
#define EINVAL  22
#define ENOSPC  28
#define ENAMETOOLONG 36
#define ENOSYS  38

#endif
