/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `valkka export --progress` (export_progress.h). */
#include <stdio.h>
#include <unistd.h>

#include "export_progress.h"

void export_progress_init(export_progress_t *p, bool on, const char *label, int64_t from,
                          int64_t to) {
  *p = (export_progress_t){.on = on,
                           .terminal = on && isatty(STDERR_FILENO),
                           .label = label,
                           .from = from,
                           .to = to,
                           .passes = 1,
                           .shown = -1};
}

static void show(export_progress_t *p, int percent) {
  if (p->terminal) {
    if (percent == p->shown) return;
    p->shown = percent;
    fprintf(stderr, "\rvalkka: export: %s: %3d%%", p->label, percent);
    fflush(stderr);
    return;
  }
  /* Every decile passed gets its line, also when a gap in the recording jumps over several. */
  for (int decile = p->shown < 0 ? 10 : p->shown + 10; decile <= percent; decile += 10) {
    fprintf(stderr, "valkka: export: %s: %d%%\n", p->label, decile);
    p->shown = decile;
  }
}

static void show_fraction(export_progress_t *p, double done) {
  if (!p->on) return;
  if (done < 0) done = 0;
  if (done > 1) done = 1;
  const int passes = p->passes > 0 ? p->passes : 1;
  show(p, (int)(100.0 * (p->pass + done) / passes));
}

void export_progress_at(export_progress_t *p, int64_t mstime) {
  const double span = (double)(p->to - p->from);
  show_fraction(p, span > 0 ? (double)(mstime - p->from) / span : 1.0);
}

void export_progress_pass_done(export_progress_t *p) {
  if (p->pass + 1 >= p->passes) return; /* the last one: 100 % once the file is complete */
  show_fraction(p, 1.0);
  p->pass++;
}

void export_progress_end(export_progress_t *p, bool ok) {
  if (!p->on) return;
  if (ok) {
    p->pass = p->passes - 1;
    show_fraction(p, 1.0);
  }
  if (p->terminal && p->shown >= 0) fputc('\n', stderr);
}
