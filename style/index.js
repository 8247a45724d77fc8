// What the first screen shows; the rest comes with the module that uses it (issue 16).
import './base.css';
import './branding.css';
