/**
 * Whether the server says the user is an instructor: asked once (the policy request) and
 * again after a failure. One check is shared by the gradebook command, registered at
 * activation, and the authoring code started after the layout is restored.
 */
export function instructorCheck(): () => Promise<boolean> {
  let role: Promise<boolean> | null = null;
  return () => {
    if (!role) {
      role = import('./api')
        .then(api => api.getPolicy())
        .then(
          policy => policy.instructor === true,
          error => {
            role = null; // asked again with the next notebook
            console.warn(
              'Atrium grader: the grading policy is not available',
              error
            );
            return false;
          }
        );
    }
    return role;
  };
}
