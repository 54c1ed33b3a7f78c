; Function bodies: the socket tracker models one function at a time.
(function_definition
  declarator: (function_declarator declarator: (identifier) @function.name)
  body: (compound_statement) @function.body) @function
