#include "subid.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool parse_ulong(const char *s, size_t len, unsigned long *out) {
  if (len == 0 || len > 20) return false;
  char buf[24];
  memcpy(buf, s, len);
  buf[len] = '\0';
  for (size_t i = 0; i < len; i++)
    if (!isdigit((unsigned char)buf[i])) return false;
  errno = 0;
  unsigned long v = strtoul(buf, NULL, 10);
  if (errno != 0) return false;
  *out = v;
  return true;
}

bool subid_line_matches(const char *line, const char *name, unsigned long id, struct id_range *out) {
  while (*line == ' ' || *line == '\t') line++;
  if (*line == '#' || *line == '\0' || *line == '\n') return false;
  const char *c1 = strchr(line, ':');
  if (c1 == NULL) return false;
  const char *c2 = strchr(c1 + 1, ':');
  if (c2 == NULL) return false;
  const char *end = c2 + 1;
  while (*end != '\0' && *end != '\n' && *end != ' ' && *end != '\t' && *end != '\r') end++;

  size_t owner_len = (size_t)(c1 - line);
  bool matches = name != NULL && strlen(name) == owner_len && strncmp(line, name, owner_len) == 0;
  unsigned long owner_id;
  if (!matches && parse_ulong(line, owner_len, &owner_id)) matches = owner_id == id;
  if (!matches) return false;

  struct id_range r;
  if (!parse_ulong(c1 + 1, (size_t)(c2 - c1 - 1), &r.start)) return false;
  if (!parse_ulong(c2 + 1, (size_t)(end - c2 - 1), &r.count)) return false;
  if (r.count == 0 || r.start + r.count < r.start || r.start + r.count - 1 > 0xfffffffeUL) return false;
  *out = r;
  return true;
}

static bool overlaps(const struct id_range *a, const struct id_range *b) {
  return a->start < b->start + b->count && b->start < a->start + a->count;
}

int subid_read(const char *file, const char *name, unsigned long id, struct id_range *out, int max) {
  FILE *f = fopen(file, "re");
  if (f == NULL) return 0;
  char line[512];
  int n = 0;
  while (n < max && fgets(line, sizeof line, f) != NULL) {
    struct id_range r;
    if (!subid_line_matches(line, name, id, &r)) continue;
    bool clash = false;
    for (int i = 0; i < n && !clash; i++) clash = overlaps(&out[i], &r);
    if (!clash) out[n++] = r;
  }
  fclose(f);
  return n;
}
