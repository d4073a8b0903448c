#include "tools/vmtrace.h"
int vt_cmd_sweep(int argc, char **argv) { (void)argc; (void)argv; return 2; }
