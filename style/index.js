import './base.css';
import './about.css';
