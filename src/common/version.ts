/**
 * The version of this frontend build; a jest test keeps it equal to package.json's.
 */
export const ATRIUM_VERSION = '0.1.0';
