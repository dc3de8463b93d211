/** Admins are the user named by ADMIN_USERNAME plus anyone flagged is_admin (created by an admin). */
export function isAdminUser(user: { username: string; isAdmin: boolean }, adminUsername: string): boolean {
  return user.isAdmin || user.username === adminUsername.toLowerCase();
}
