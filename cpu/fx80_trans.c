/* placeholder: transcendentals come next */
#include "cpu/fx80.h"
bool fx_sincos(struct fx_env *e, struct fx80 a, struct fx80 *s, struct fx80 *c) { *s = *c = fx_indefinite; e->flags |= FX_IE; return true; }
bool fx_tan(struct fx_env *e, struct fx80 a, struct fx80 *t) { *t = fx_indefinite; e->flags |= FX_IE; return true; }
struct fx80 fx_atan2(struct fx_env *e, struct fx80 y, struct fx80 x) { e->flags |= FX_IE; return fx_indefinite; }
struct fx80 fx_f2xm1(struct fx_env *e, struct fx80 a) { e->flags |= FX_IE; return fx_indefinite; }
struct fx80 fx_yl2x(struct fx_env *e, struct fx80 x, struct fx80 y) { e->flags |= FX_IE; return fx_indefinite; }
struct fx80 fx_yl2xp1(struct fx_env *e, struct fx80 x, struct fx80 y) { e->flags |= FX_IE; return fx_indefinite; }
