/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A minimal third-party plugin, built outside the tree against the installed headers only:
 *   cc -shared -fPIC $(pkg-config --cflags valkka) hello_source.c -o source-hello.so
 * It delivers a counter as tiny "encoded" frames and ends after `count` of them.
 */
#include <stdlib.h>
#include <string.h>

#include <valkka/plugin.h>

typedef struct hello {
  const valkka_host_t *host;
  int remaining;
  int next;
} hello_t;

static int hello_open(const valkka_host_t *host, const char *url, const valkka_option_t *options,
                      size_t n_options, void **instance) {
  (void)url;
  hello_t *h = calloc(1, sizeof *h);
  if (!h) return host->error_set(VALKKA_ENOMEM, "source-hello: out of memory");
  const char *count = host->option_get(options, n_options, "count");
  h->host = host;
  h->remaining = count ? atoi(count) : 3;
  *instance = h;
  return 0;
}

static int hello_read(void *instance, valkka_frame_t *frame, int timeout_ms) {
  (void)timeout_ms;
  hello_t *h = instance;
  if (h->remaining-- <= 0) return VALKKA_EOS;
  char text[16] = "hello 0";
  text[6] = (char)('0' + h->next++ % 10);
  int err = h->host->frame_set_payload(frame, text, (uint32_t)strlen(text));
  if (err) return err;
  frame->kind = VALKKA_FRAME_ENCODED;
  frame->codec = VALKKA_CODEC_H264;
  frame->mstime = h->host->clock_wall_ms();
  return 0;
}

static int hello_interrupt(void *instance) {
  (void)instance;
  return 0;
}

static void hello_close(void *instance) { free(instance); }

static const valkka_source_vtable_t vtable = {
    .struct_size = sizeof vtable,
    .open = hello_open,
    .read = hello_read,
    .interrupt = hello_interrupt,
    .close = hello_close,
};

static const valkka_plugin_t descriptor = {
    .abi_major = VALKKA_ABI_MAJOR,
    .abi_minor = VALKKA_ABI_MINOR,
    .struct_size = sizeof descriptor,
    .kind = VALKKA_PLUGIN_SOURCE,
    .name = "source-hello",
    .version = "0.1.0",
    .description = "an out-of-tree example source",
    .vtable = &vtable,
};

VALKKA_PLUGIN_EXPORT const valkka_plugin_t *valkka_plugin_entry(void) { return &descriptor; }
