/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * FFmpeg's own log through the library's logger: the process-wide av_log callback belongs to the
 * application (plugins never set it), so `valkka` sets it in main.
 */
#ifndef VALKKA_CLI_AVLOG_H
#define VALKKA_CLI_AVLOG_H

/* Sets av_log's callback: each line FFmpeg logs becomes one valkka_log line of module "ffmpeg"
 * at the matching level, with the credentials of any URL in it hidden. */
void cli_avlog_init(void);

#endif
