/*
 * Test helper: reads YAML documents from standard input, separated by NUL bytes, parses each with
 * libyaml (the parser Fluent Bit links and serde_yaml's unsafe-libyaml is translated from) and
 * prints one JSON line per document: the list of its parse events, a map as "{" ... "}", a list
 * as "[" ... "]", an alias as "*", a scalar as its text (prefixed by "=", so that the text "{"
 * cannot be mistaken for an event). A document libyaml refuses prints {"error": "..."} instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Writes text as the inside of a JSON string into out (room for 6 bytes per input byte); returns the bytes written. */
static size_t escape_json(char *out, const unsigned char *text, size_t length) {
  size_t used = 0;
  for (size_t i = 0; i < length; i++) {
    unsigned char c = text[i];
    if (c == '"' || c == '\\') { out[used++] = '\\'; out[used++] = (char)c; }
    else if (c < 0x20 || c == 0x7f) used += (size_t)sprintf(out + used, "\\u%04x", c);
    else out[used++] = (char)c;
  }
  return used;
}

static void print_document(const unsigned char *text, size_t length) {
  yaml_parser_t parser;
  yaml_event_t event;
  int first = 1;
  int done = 0;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, text, length);
  /* Events are gathered first, so that a refusal late in the document prints only the error. */
  size_t capacity = 4096, used = 0;
  char *out = malloc(capacity);
  if (out == NULL) exit(2);
  out[0] = '\0';
  while (!done) {
    if (!yaml_parser_parse(&parser, &event)) {
      const char *problem = parser.problem != NULL ? parser.problem : "unknown error";
      char *escaped = malloc(strlen(problem) * 6 + 1);
      if (escaped == NULL) exit(2);
      size_t escaped_length = escape_json(escaped, (const unsigned char *)problem, strlen(problem));
      printf("{\"error\":\"%.*s\",\"line\":%zu}\n", (int)escaped_length, escaped, parser.problem_mark.line + 1);
      free(escaped);
      free(out);
      yaml_parser_delete(&parser);
      return;
    }
    const char *mark = NULL;
    switch (event.type) {
      case YAML_MAPPING_START_EVENT: mark = "\"{\""; break;
      case YAML_MAPPING_END_EVENT: mark = "\"}\""; break;
      case YAML_SEQUENCE_START_EVENT: mark = "\"[\""; break;
      case YAML_SEQUENCE_END_EVENT: mark = "\"]\""; break;
      case YAML_ALIAS_EVENT: mark = "\"*\""; break;
      case YAML_STREAM_END_EVENT: done = 1; break;
      default: break;
    }
    size_t need = used + (event.type == YAML_SCALAR_EVENT ? event.data.scalar.length * 6 + 8 : 8);
    if (need >= capacity) {
      while (need >= capacity) capacity *= 2;
      out = realloc(out, capacity);
      if (out == NULL) exit(2);
    }
    if (mark != NULL || event.type == YAML_SCALAR_EVENT) {
      if (!first) out[used++] = ',';
      first = 0;
      if (mark != NULL) used += (size_t)sprintf(out + used, "%s", mark);
      else {
        out[used++] = '"';
        out[used++] = '=';
        used += escape_json(out + used, event.data.scalar.value, event.data.scalar.length);
        out[used++] = '"';
      }
      out[used] = '\0';
    }
    yaml_event_delete(&event);
  }
  printf("[%s]\n", out);
  free(out);
  yaml_parser_delete(&parser);
}

int main(void) {
  size_t capacity = 1 << 16, length = 0, got;
  unsigned char *input = malloc(capacity);
  if (input == NULL) return 2;
  while ((got = fread(input + length, 1, capacity - length, stdin)) > 0) {
    length += got;
    if (length == capacity) {
      capacity *= 2;
      input = realloc(input, capacity);
      if (input == NULL) return 2;
    }
  }
  size_t start = 0;
  for (size_t i = 0; i <= length; i++) {
    if (i == length || input[i] == '\0') {
      if (i > start || i < length) print_document(input + start, i - start);
      start = i + 1;
    }
  }
  free(input);
  return 0;
}
