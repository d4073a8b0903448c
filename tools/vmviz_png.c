/* Writing an SDL surface as a PNG file (see vmviz_png.h). */
#include "tools/vmviz_png.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool vv_png_write(SDL_Surface *s, const char *path, char *err, size_t errlen)
{
    SDL_Surface *rgb = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGB24, 0);
    if (!rgb) {
        snprintf(err, errlen, "%s: %s", path, SDL_GetError());
        return false;
    }
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        SDL_FreeSurface(rgb);
        return false;
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    png_bytep *rows = calloc((size_t)rgb->h + 1, sizeof *rows);
    volatile bool ok = false;     /* set after setjmp */
    if (png && info && rows && !setjmp(png_jmpbuf(png))) {
        png_init_io(png, f);
        png_set_IHDR(png, info, (png_uint_32)rgb->w, (png_uint_32)rgb->h, 8, PNG_COLOR_TYPE_RGB,
                     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
        for (int y = 0; y < rgb->h; y++)
            rows[y] = (png_bytep)rgb->pixels + (size_t)y * (size_t)rgb->pitch;
        png_set_rows(png, info, rows);
        png_write_png(png, info, PNG_TRANSFORM_IDENTITY, NULL);
        ok = true;
    }
    png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
    free(rows);
    if (fclose(f) != 0)
        ok = false;
    if (!ok)
        snprintf(err, errlen, "%s: cannot write the PNG", path);
    SDL_FreeSurface(rgb);
    return ok;
}
