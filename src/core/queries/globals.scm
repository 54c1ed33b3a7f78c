; File-scope variables (declarations directly in the translation unit), e.g. `struct sockaddr_in serv_addr;`
; above main(). Function bodies are read with declarations.scm.
(translation_unit
  (declaration
    type: (_) @decl.type
    declarator: (_) @decl.declarator) @decl)
