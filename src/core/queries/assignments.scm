; Field assignments that fill a socket address before bind()/connect():
; `serv_addr.sin_port = htons(9190);`, `serv_addr.sin_addr.s_addr = htonl(INADDR_ANY);`, `addr->sin_family = AF_INET;`
(assignment_expression
  left: (field_expression) @assign.target
  right: (_) @assign.value) @assign
; Whole-struct assignments such as `addr.sin6_addr = in6addr_any;` are field assignments too (above);
; plain variable assignments such as `port = atoi(argv[1]);` are captured here.
(assignment_expression
  left: (identifier) @assign.target
  right: (_) @assign.value) @assign
(init_declarator
  declarator: (identifier) @assign.target
  value: (_) @assign.value) @assign
