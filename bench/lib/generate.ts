/** Generates a socket-heavy C file of about `lines` lines: repeated textbook server functions. */
export function generateServerSource(lines: number): string {
  const header = [
    '#include <stdio.h>',
    '#include <stdlib.h>',
    '#include <string.h>',
    '#include <unistd.h>',
    '#include <arpa/inet.h>',
    '#include <sys/socket.h>',
    '#define PORT 9190',
    '',
  ];
  const out = [...header];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      `int serve_${i}(int argc, char *argv[])`,
      '{',
      '\tint serv_sock, clnt_sock;',
      '\tstruct sockaddr_in serv_addr, clnt_addr;',
      '\tsocklen_t clnt_addr_size = sizeof(clnt_addr);',
      '\tserv_sock = socket(PF_INET, SOCK_STREAM, 0);',
      '\tmemset(&serv_addr, 0, sizeof(serv_addr));',
      '\tserv_addr.sin_family = AF_INET;',
      '\tserv_addr.sin_addr.s_addr = htonl(INADDR_ANY);',
      `\tserv_addr.sin_port = htons(argc > 1 ? atoi(argv[1]) : PORT + ${i % 100});`,
      '\tif (bind(serv_sock, (struct sockaddr *)&serv_addr, sizeof(serv_addr)) == -1)',
      '\t\treturn -1;',
      '\tif (listen(serv_sock, 5) == -1)',
      '\t\treturn -1;',
      '\tclnt_sock = accept(serv_sock, (struct sockaddr *)&clnt_addr, &clnt_addr_size);',
      '\twrite(clnt_sock, "hi", 2);',
      '\tclose(clnt_sock);',
      '\tclose(serv_sock);',
      '\treturn 0;',
      '}',
      '',
    );
  }
  return out.join('\n') + '\n';
}

/** 0-based line and column of the `bind` call in the function nearest the middle of the file. */
export function middleBindPosition(source: string): { line: number; character: number } {
  const lines = source.split('\n');
  const middle = Math.floor(lines.length / 2);
  for (let i = middle; i < lines.length; i++) {
    const col = lines[i].indexOf('bind(');
    if (col >= 0) return { line: i, character: col + 1 };
  }
  throw new Error('no bind call after the middle of the generated file');
}
