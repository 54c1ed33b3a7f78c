; Variables with their declared types: `struct sockaddr_in serv_addr;`, `int serv_sock, clnt_sock;`,
; `socklen_t clnt_addr_size = sizeof(clnt_addr);`, and function parameters such as `int sock`.
(declaration
  type: (_) @decl.type
  declarator: (_) @decl.declarator) @decl
(parameter_declaration
  type: (_) @decl.type
  declarator: (_) @decl.declarator) @decl
(field_declaration
  type: (_) @decl.type
  declarator: (_) @decl.declarator) @decl
