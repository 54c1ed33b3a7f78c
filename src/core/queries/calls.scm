; Every call whose callee is a plain name: socket(...), htons(...), FD_SET(...).
; The analysis keeps the ones the knowledge base covers (and a few helpers such as atoi and printf).
(call_expression
  function: (identifier) @call.name
  arguments: (argument_list) @call.args) @call
