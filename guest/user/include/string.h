#ifndef VMSCOPE_USER_STRING_H
#define VMSCOPE_USER_STRING_H
#include <lib/string.h>
#endif
