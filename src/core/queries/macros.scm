; Object-like macros: `#define PORT 9190`, `#define BUF_SIZE 1024`.
(preproc_def
  name: (identifier) @macro.name
  value: (preproc_arg) @macro.value)
; Enumerators: `enum { BACKLOG = 5 };`
(enumerator
  name: (identifier) @enum.name
  value: (_)? @enum.value)
