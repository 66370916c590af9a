/* input: text input through htslib's BGZF layer (plain, gzip or BGZF; `-` is stdin, or a buffer
 * in memory), read line by line with line numbers. A truncated or corrupt stream is one message
 * naming the file and the last good line; htslib's own log lines are kept quiet. Shared by the
 * line readers of tsv and seqio. */
#ifndef TFM_INPUT_H
#define TFM_INPUT_H

#include <htslib/bgzf.h>
#include <htslib/kstring.h>
#include <stddef.h>

/* Open path ("-": stdin). NULL with "cannot open 'PATH': why" in tfm_last_error(). */
BGZF *tfm_input_open(const char *path);
/* Open a copy of buf[0..len) (the fuzzers' entry point; plain or compressed like a file). */
BGZF *tfm_input_open_mem(const void *buf, size_t len);
/* How a file is shown in messages: "stdin" for "-", else the path. */
const char *tfm_input_name(const char *path);
/* Next line into ks, without its line end ("\n" or "\r\n"). 1: a line (*lineno counts it),
 * 0: end of input, -1: error, "NAME:LINE: NUL byte in input", or the message of
 * tfm_input_fail. `rec` (or NULL) names the record being read, for that message. */
int tfm_input_line(BGZF *fp, kstring_t *ks, const char *name, long *lineno, const char *rec);
/* Record the message for a failed read of fp after `lines` good lines and return -1:
 * "NAME: truncated or corrupt gzip after line N (record REC)", or for an uncompressed file
 * "NAME: read error after line N: strerror". */
int tfm_input_fail(BGZF *fp, const char *name, long lines, const char *rec);

#endif
