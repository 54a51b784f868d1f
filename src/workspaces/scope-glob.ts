/** Does a role key match a mount scope? `*` matches one segment's characters, `**` anything. */
export function scopeMatches(scope: string, roleKey: string): boolean {
  const pattern = scope
    .split('**')
    .map((part) => part.split('*').map(escape).join('[^/]*'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(roleKey);
}

function escape(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
