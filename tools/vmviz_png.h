/* Writing an SDL surface as a PNG file with libpng (vmviz --snapshot). */
#ifndef VMSCOPE_TOOLS_VMVIZ_PNG_H
#define VMSCOPE_TOOLS_VMVIZ_PNG_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

/* Write S (any pixel format) to PATH as 8-bit RGB. False with ERR. */
bool vv_png_write(SDL_Surface *s, const char *path, char *err, size_t errlen);

#endif
